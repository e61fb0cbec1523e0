/* Included by comdat-key*.c: a public key whose (weak) definition is copied into every object that includes it.  */
int ck (int) __attribute__ ((static_call, weak));
__attribute__ ((weak)) int ck (int x) { return x + 1; }
int ck_new (int);
