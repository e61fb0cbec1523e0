/*
 * fuzz-gen.c - libFuzzer target for `staticcall-tool gen`: the input is
 * written to a temporary file and gen --all runs on it, writing another
 * temporary file.  gen must refuse or handle any input without a crash.
 * Built and run by `make fuzz-tool-gen` (tools/local.mk).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scelf.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static char in[64], out[64];
	struct sc_gen_opts o = { .all = 1 };
	FILE *f;

	if (!in[0]) {
		snprintf(in, sizeof(in), "/tmp/fuzz-gen-in.%d", (int)getpid());
		snprintf(out, sizeof(out), "/tmp/fuzz-gen-out.%d", (int)getpid());
	}
	f = fopen(in, "wb");
	if (!f)
		return 0;
	fwrite(data, 1, size, f);
	fclose(f);
	sc_gen(in, out, &o);
	unlink(out);
	unlink(in);
	return 0;
}
