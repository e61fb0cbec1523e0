/* bench/writer.h - between bench/writer.c and the text gen-text.sh makes. */
extern int (*const site_fns[])(int);
extern const unsigned int n_site_fns;
/* k_one, k_100, k_1e4, k_1e5, k_pages, kf_0 .. kf_199, then the twins
 * of k_100, k_1e4 and k_1e5 (TWIN + 1 .. TWIN + 3: never updated) */
extern int (*const key_fns[])(int);
#define N_KEYS	208
#define TWIN	204
