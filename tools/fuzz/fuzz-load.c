/*
 * fuzz-load.c - libFuzzer target for staticcall-tool's ELF parser: load the
 * input as an ELF file, then run everything `list` and `verify` do on it
 * (decoding every site, formatting every value).  Any crash, leak or
 * undefined behaviour is a bug.  Built and run by `make fuzz-tool`
 * (tools/local.mk); corpus in tools/fuzz/corpus.
 */
#include <stdlib.h>
#include <string.h>

#include "scelf.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct sc_problem *list = NULL;
	struct sc_file f;
	size_t n = 0, i;
	void *buf = malloc(size ? size : 1);
	FILE *null = fopen("/dev/null", "w");

	if (!buf || !null) {
		free(buf);
		if (null)
			fclose(null);
		return 0;
	}
	memcpy(buf, data, size);
	if (!sc_load_mem(&f, "fuzz", buf, size)) {
		sc_verify(&f, &list, &n);
		sc_list_text(null, &f);
		sc_list_json(null, &f);
	}
	for (i = 0; i < n; i++)
		free(list[i].text);
	free(list);
	sc_free(&f);
	free(buf);
	fclose(null);
	return 0;
}
