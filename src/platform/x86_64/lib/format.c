#include "lib/format.h"
#include <stdint.h>

struct out {
	char *buf;
	size_t cap;
	size_t len;
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->cap)
		o->buf[o->len] = c;
	o->len++;
}

struct spec {
	int left;
	int zero;
	int width;
	int length; /* 0 int, 1 long, 2 long long, 3 size_t */
};

static void put_padded(struct out *o, const char *s, size_t n, const struct spec *sp)
{
	int pad = sp->width > (int)n ? sp->width - (int)n : 0;
	if (!sp->left)
		while (pad-- > 0)
			put(o, ' ');
	for (size_t i = 0; i < n; i++)
		put(o, s[i]);
	if (sp->left)
		while (pad-- > 0)
			put(o, ' ');
}

static void put_number(struct out *o, uint64_t v, int negative, unsigned base, int upper,
		       const struct spec *sp)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0;
	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	int len = n + negative;
	int pad = sp->width > len ? sp->width - len : 0;
	if (!sp->left && !sp->zero)
		while (pad-- > 0)
			put(o, ' ');
	if (negative)
		put(o, '-');
	if (!sp->left && sp->zero)
		while (pad-- > 0)
			put(o, '0');
	while (n)
		put(o, tmp[--n]);
	if (sp->left)
		while (pad-- > 0)
			put(o, ' ');
}

static const char *parse_spec(const char *f, struct spec *sp)
{
	*sp = (struct spec){ 0 };
	for (;; f++) {
		if (*f == '-')
			sp->left = 1;
		else if (*f == '0')
			sp->zero = 1;
		else
			break;
	}
	while (*f >= '0' && *f <= '9')
		sp->width = sp->width * 10 + (*f++ - '0');
	if (*f == 'l') {
		sp->length = 1;
		if (*++f == 'l') {
			sp->length = 2;
			f++;
		}
	} else if (*f == 'z') {
		sp->length = 3;
		f++;
	}
	return f;
}

static uint64_t arg_unsigned(va_list *ap, int length)
{
	switch (length) {
	case 1: return va_arg(*ap, unsigned long);
	case 2: return va_arg(*ap, unsigned long long);
	case 3: return va_arg(*ap, size_t);
	default: return va_arg(*ap, unsigned int);
	}
}

static int64_t arg_signed(va_list *ap, int length)
{
	switch (length) {
	case 1: return va_arg(*ap, long);
	case 2: return va_arg(*ap, long long);
	case 3: return (int64_t)va_arg(*ap, size_t);
	default: return va_arg(*ap, int);
	}
}

static void format_one(struct out *o, char conv, const struct spec *sp, va_list *ap)
{
	switch (conv) {
	case 'd':
	case 'i': {
		int64_t v = arg_signed(ap, sp->length);
		put_number(o, v < 0 ? -(uint64_t)v : (uint64_t)v, v < 0, 10, 0, sp);
		break;
	}
	case 'u': put_number(o, arg_unsigned(ap, sp->length), 0, 10, 0, sp); break;
	case 'x': put_number(o, arg_unsigned(ap, sp->length), 0, 16, 0, sp); break;
	case 'X': put_number(o, arg_unsigned(ap, sp->length), 0, 16, 1, sp); break;
	case 'p': {
		struct spec p = { .zero = 1, .width = 16 };
		put(o, '0');
		put(o, 'x');
		put_number(o, (uintptr_t)va_arg(*ap, void *), 0, 16, 0, &p);
		break;
	}
	case 'c': {
		char c = (char)va_arg(*ap, int);
		put_padded(o, &c, 1, sp);
		break;
	}
	case 's': {
		const char *s = va_arg(*ap, const char *);
		if (!s)
			s = "(null)";
		size_t n = 0;
		while (s[n])
			n++;
		put_padded(o, s, n, sp);
		break;
	}
	case '%': put(o, '%'); break;
	default:
		put(o, '%');
		put(o, conv);
	}
}

int kvsnprintf(char *buf, size_t n, const char *fmt, va_list ap)
{
	struct out o = { buf, n, 0 };
	va_list args;
	va_copy(args, ap);
	while (*fmt) {
		if (*fmt != '%') {
			put(&o, *fmt++);
			continue;
		}
		struct spec sp;
		fmt = parse_spec(fmt + 1, &sp);
		if (!*fmt)
			break;
		format_one(&o, *fmt++, &sp, &args);
	}
	va_end(args);
	if (n)
		buf[o.len < n ? o.len : n - 1] = 0;
	return (int)o.len;
}

int ksnprintf(char *buf, size_t n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = kvsnprintf(buf, n, fmt, ap);
	va_end(ap);
	return r;
}
