/* Test helper: counts lit pixels (any channel >= 0x80) of an RGBA or RGB PNG, to check that a
 * screenshot shows text. usage: pngstat FILE.png -> "width=W height=H bright=N" */
#include <png.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	if (argc != 2)
		return 2;
	png_image img = { .version = PNG_IMAGE_VERSION };
	if (!png_image_begin_read_from_file(&img, argv[1])) {
		fprintf(stderr, "pngstat: %s: %s\n", argv[1], img.message);
		return 1;
	}
	img.format = PNG_FORMAT_RGBA;
	png_bytep px = malloc(PNG_IMAGE_SIZE(img));
	if (!px || !png_image_finish_read(&img, NULL, px, 0, NULL)) {
		fprintf(stderr, "pngstat: %s: %s\n", argv[1], img.message);
		return 1;
	}
	long bright = 0;
	for (size_t i = 0; i < (size_t)img.width * img.height; i++)
		if (px[4 * i] >= 0x80 || px[4 * i + 1] >= 0x80 || px[4 * i + 2] >= 0x80)
			bright++;
	printf("width=%u height=%u bright=%ld\n", img.width, img.height, bright);
	free(px);
	return 0;
}
