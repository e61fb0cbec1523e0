/* The Linux kernel's static_call selftest (kernel/static_call_inline.c)
   through staticcall/linux.h: func_a(x)=x+1, func_b(x)=x+2: 3, 4, 3.  */
/* Same output with and without the plugin: the API layer must not depend on it. */
#include <stdio.h>
#include <staticcall/linux.h>

static int func_a(int x)
{
	return x + 1;
}

static int func_b(int x)
{
	return x + 2;
}

DEFINE_STATIC_CALL(sc_selftest, func_a);

static struct static_call_data {
	int (*func)(int);
	int val;
	int expect;
} static_call_data[] = {
	{ NULL, 2, 3 },
	{ func_b, 2, 4 },
	{ func_a, 2, 3 }
};

int main(void)
{
	unsigned int i;
	int bad = 0;

	for (i = 0; i < sizeof(static_call_data) / sizeof(static_call_data[0]); i++) {
		struct static_call_data *scd = &static_call_data[i];
		int got;

		if (scd->func)
			static_call_update(sc_selftest, scd->func);
		got = static_call(sc_selftest)(scd->val);
		printf("step %u: %d (expect %d)%s\n", i, got, scd->expect,
		       static_call_query(sc_selftest) == (scd->func ? scd->func : func_a) ?
		       "" : " wrong query");
		bad |= got != scd->expect;
	}
	return bad;
}
