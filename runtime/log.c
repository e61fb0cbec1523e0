/*
 * runtime/log.c - the runtime's one-line messages, formatted without libc.
 *
 * A tiny printf subset (%s %d %u %x %lx %lu %ld %p %%, optional 0-padding
 * width) into a stack buffer, handed to the hook set by staticcall_set_log().
 * Freestanding: the core must be able to say why it refused a site in a
 * kernel as well as in a program.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "staticcall.h"
#include "staticcall/log.h"

#define LOG_LINE	256

static staticcall_log_fn log_hook;

staticcall_log_fn staticcall_set_log(staticcall_log_fn fn)
{
	return __atomic_exchange_n(&log_hook, fn, __ATOMIC_ACQ_REL);
}

struct out {
	char *p, *end;
};

static void put(struct out *o, char c)
{
	if (o->p < o->end)
		*o->p++ = c;
}

static void put_num(struct out *o, unsigned long v, unsigned int base,
		    int neg, unsigned int width, char pad)
{
	char tmp[24];
	unsigned int n = 0;

	do {
		unsigned int d = v % base;

		tmp[n++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
		v /= base;
	} while (v);
	if (neg)
		tmp[n++] = '-';
	while (width > n) {
		put(o, pad);
		width--;
	}
	while (n)
		put(o, tmp[--n]);
}

void staticcall_log(const char *fmt, ...)
{
	staticcall_log_fn fn = __atomic_load_n(&log_hook, __ATOMIC_ACQUIRE);
	char buf[LOG_LINE];
	struct out o = { buf, buf + sizeof(buf) - 1 };
	va_list ap;

	if (!fn)
		return;
	va_start(ap, fmt);
	for (; *fmt; fmt++) {
		unsigned int width = 0;
		char pad = ' ';
		int lng = 0;

		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		fmt++;
		if (*fmt == '0') {
			pad = '0';
			fmt++;
		}
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (unsigned int)(*fmt++ - '0');
		if (*fmt == 'l') {
			lng = 1;
			fmt++;
		}
		switch (*fmt) {
		case 's': {
			const char *s = va_arg(ap, const char *);

			if (!s)
				s = "(null)";
			while (*s)
				put(&o, *s++);
			break;
		}
		case 'd': {
			long v = lng ? va_arg(ap, long) : va_arg(ap, int);

			put_num(&o, v < 0 ? -(unsigned long)v : (unsigned long)v,
				10, v < 0, width, pad);
			break;
		}
		case 'u':
			put_num(&o, lng ? va_arg(ap, unsigned long) :
				va_arg(ap, unsigned int), 10, 0, width, pad);
			break;
		case 'x':
			put_num(&o, lng ? va_arg(ap, unsigned long) :
				va_arg(ap, unsigned int), 16, 0, width, pad);
			break;
		case 'p':
			put(&o, '0');
			put(&o, 'x');
			put_num(&o, (uintptr_t)va_arg(ap, void *), 16, 0, 0, ' ');
			break;
		case '%':
			put(&o, '%');
			break;
		case '\0':
			fmt--;
			break;
		default:
			put(&o, '%');
			put(&o, *fmt);
			break;
		}
	}
	va_end(ap);
	*o.p = '\0';
	fn(buf);
}
