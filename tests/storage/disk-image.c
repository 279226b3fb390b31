/*
 * Moves disk images between the host's tools and a test app in rtjs-sim, which has no
 * host files: `pack` turns an image into an ES module listing its non-zero 512-byte
 * sectors (so a mostly empty 80 MB volume is a few megabytes of text), and `apply` writes
 * back the sectors the app printed as "W <lba> <hex>" lines.
 *
 *   disk-image pack IMAGE MODULE.js
 *   disk-image apply IMAGE < app-output
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SECTOR 512

static int pack(const char *image, const char *module)
{
	FILE *in = fopen(image, "rb");
	FILE *out = fopen(module, "w");
	if (!in || !out) {
		perror(in ? module : image);
		return 1;
	}
	unsigned char s[SECTOR];
	static const unsigned char zero[SECTOR];
	long lba = 0;
	fprintf(out, "export const sectors = [\n");
	while (fread(s, 1, SECTOR, in) == SECTOR) {
		if (memcmp(s, zero, SECTOR)) {
			fprintf(out, "[%ld,'", lba);
			for (int i = 0; i < SECTOR; i++)
				fprintf(out, "%02x", s[i]);
			fprintf(out, "'],\n");
		}
		lba++;
	}
	fprintf(out, "];\nexport const size = %ld;\n", lba * SECTOR);
	fclose(in);
	return fclose(out) ? 1 : 0;
}

static int hex(int c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static int apply(const char *image)
{
	FILE *img = fopen(image, "r+b");
	if (!img) {
		perror(image);
		return 1;
	}
	static char line[4 * SECTOR];
	unsigned char s[SECTOR];
	long applied = 0;
	while (fgets(line, sizeof line, stdin)) {
		long lba;
		char text[2 * SECTOR + 1];
		if (sscanf(line, "W %ld %1024s", &lba, text) != 2 || strlen(text) != 2 * SECTOR)
			continue;
		for (int i = 0; i < SECTOR; i++) {
			int hi = hex(text[2 * i]), lo = hex(text[2 * i + 1]);
			if (hi < 0 || lo < 0) {
				fprintf(stderr, "disk-image: bad hex for sector %ld\n", lba);
				return 1;
			}
			s[i] = (unsigned char)(hi << 4 | lo);
		}
		if (fseek(img, lba * SECTOR, SEEK_SET) || fwrite(s, 1, SECTOR, img) != SECTOR) {
			perror(image);
			return 1;
		}
		applied++;
	}
	fprintf(stderr, "disk-image: %ld sectors written\n", applied);
	return fclose(img) ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "pack"))
		return pack(argv[2], argv[3]);
	if (argc == 3 && !strcmp(argv[1], "apply"))
		return apply(argv[2]);
	fprintf(stderr, "usage: disk-image pack IMAGE MODULE.js | disk-image apply IMAGE < lines\n");
	return 2;
}
