/* Test helper: counts the pixels of an X display's root window by colour class, to check that
 * the simulator's SDL window shows text. usage: xgrab [out.png]
 * Prints "pixels=N bright=N dark=N" (bright: any channel >= 0x80). */
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>

static void save_png(const char *path, XImage *img)
{
	FILE *f = fopen(path, "wb");
	png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	png_infop info = png_create_info_struct(png);
	if (!f || !png || !info || setjmp(png_jmpbuf(png)))
		exit(2);
	png_init_io(png, f);
	png_set_IHDR(png, info, img->width, img->height, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
		     PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_write_info(png, info);
	unsigned char *row = malloc((size_t)img->width * 3);
	for (int y = 0; y < img->height; y++) {
		for (int x = 0; x < img->width; x++) {
			unsigned long p = XGetPixel(img, x, y);
			row[3 * x] = (p >> 16) & 0xff;
			row[3 * x + 1] = (p >> 8) & 0xff;
			row[3 * x + 2] = p & 0xff;
		}
		png_write_row(png, row);
	}
	png_write_end(png, NULL);
	png_destroy_write_struct(&png, &info);
	free(row);
	fclose(f);
}

int main(int argc, char **argv)
{
	Display *d = XOpenDisplay(NULL);
	if (!d) {
		fprintf(stderr, "xgrab: cannot open display\n");
		return 1;
	}
	Window root = DefaultRootWindow(d);
	XWindowAttributes a;
	XGetWindowAttributes(d, root, &a);
	XImage *img = XGetImage(d, root, 0, 0, (unsigned)a.width, (unsigned)a.height, AllPlanes, ZPixmap);
	if (!img)
		return 1;
	long bright = 0, dark = 0;
	for (int y = 0; y < img->height; y++) {
		for (int x = 0; x < img->width; x++) {
			unsigned long p = XGetPixel(img, x, y);
			if (((p >> 16) & 0xff) >= 0x80 || ((p >> 8) & 0xff) >= 0x80 || (p & 0xff) >= 0x80)
				bright++;
			else
				dark++;
		}
	}
	printf("pixels=%ld bright=%ld dark=%ld\n", bright + dark, bright, dark);
	if (argc > 1)
		save_png(argv[1], img);
	XDestroyImage(img);
	XCloseDisplay(d);
	return 0;
}
