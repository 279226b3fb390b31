#include "display.h"

#include <SDL.h>
#include <dlfcn.h>
#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "keymap.h"
#include "trace.h"

#define WINDOW_SCALE 2
#define VGA_TEXT_WIDTH 640 /* 80 columns of 8 pixels */
#define FRAME_MS 33        /* about 30 frames a second is plenty for a text screen */
#define BLINK_HALF_MS 266  /* VGA blinks every 16 frames at 60 Hz: ~1.9 Hz */

static struct {
	pthread_t thread;
	int running;
	atomic_int stop;
	struct sim_screen screen;
	struct ps2_state *ps2;
	void (*on_quit)(void *ctx);
	void *ctx;
	pthread_mutex_t start_lock;
	pthread_cond_t started;
	int start_result; /* 1 pending, 0 ok, negative error */
} disp = { .start_lock = PTHREAD_MUTEX_INITIALIZER, .started = PTHREAD_COND_INITIALIZER };

/* SDL2 is loaded when the window opens, not linked: a headless run (every test, every
 * `rtjs-sim --headless`) then does not load SDL and the ~48 libraries it pulls in, which
 * was a third of the simulator's start-up time. */
#define SDL_FUNCS(X) X(CreateRenderer) X(CreateTexture) X(CreateWindow) X(DestroyRenderer) X(DestroyTexture) X(DestroyWindow) X(GetError) X(GetTicks) X(Init) X(PollEvent) X(Quit) X(RenderClear) X(RenderCopy) X(RenderPresent) X(RenderSetLogicalSize) X(UpdateTexture) X(WaitEventTimeout)

static struct {
#define X(name) __typeof__(SDL_##name) *name;
	SDL_FUNCS(X)
#undef X
} sdl;

static int sdl_load(void)
{
	void *lib = dlopen("libSDL2-2.0.so.0", RTLD_NOW | RTLD_LOCAL);
	if (!lib) {
		sim_trace("display", "cannot load SDL2: %s", dlerror());
		return -1;
	}
#define X(name)                                                                  \
	sdl.name = (__typeof__(sdl.name))dlsym(lib, "SDL_" #name);                  \
	if (!sdl.name) {                                                         \
		sim_trace("display", "SDL2 lacks SDL_" #name);                       \
		return -1;                                                       \
	}
	SDL_FUNCS(X)
#undef X
	return 0;
}

static void report_start(int result)
{
	pthread_mutex_lock(&disp.start_lock);
	disp.start_result = result;
	pthread_cond_signal(&disp.started);
	pthread_mutex_unlock(&disp.start_lock);
}

static void handle_key(const SDL_KeyboardEvent *e)
{
	uint16_t key = keymap_from_hid(e->keysym.scancode);
	uint8_t bytes[2];
	unsigned len = keymap_set1(key, bytes);
	if (len)
		ps2_key_event(disp.ps2, bytes, len, e->type == SDL_KEYDOWN);
}

/* Returns 0 to keep going. */
static int handle_events(void)
{
	SDL_Event e;
	if (!sdl.WaitEventTimeout(&e, FRAME_MS))
		return 0;
	do {
		if (e.type == SDL_QUIT) {
			if (disp.on_quit)
				disp.on_quit(disp.ctx);
			return 1;
		}
		if (e.type == SDL_KEYDOWN || e.type == SDL_KEYUP)
			handle_key(&e.key);
	} while (sdl.PollEvent(&e));
	return 0;
}

static void display_loop(SDL_Renderer *renderer, SDL_Texture *texture, uint8_t *rgba)
{
	while (!atomic_load(&disp.stop)) {
		if (handle_events())
			break;
		disp.screen.render(disp.screen.state, rgba, (sdl.GetTicks() / BLINK_HALF_MS) % 2 == 0);
		sdl.UpdateTexture(texture, NULL, rgba, (int)disp.screen.width * 4);
		sdl.RenderClear(renderer);
		sdl.RenderCopy(renderer, texture, NULL, NULL);
		sdl.RenderPresent(renderer);
	}
}

static void *display_main(void *arg)
{
	(void)arg;
	if (sdl_load() != 0) {
		report_start(-ENODEV);
		return NULL;
	}
	if (sdl.Init(SDL_INIT_VIDEO) != 0) {
		sim_trace("display", "SDL_Init: %s", sdl.GetError());
		report_start(-ENODEV);
		return NULL;
	}
	int w = (int)disp.screen.width, h = (int)disp.screen.height;
	/* A text screen is small: doubled; a framebuffer is shown pixel for pixel. */
	int scale = w <= VGA_TEXT_WIDTH ? WINDOW_SCALE : 1;
	SDL_Window *window = sdl.CreateWindow("rtjs-sim", SDL_WINDOWPOS_UNDEFINED, SDL_WINDOWPOS_UNDEFINED,
					      w * scale, h * scale, SDL_WINDOW_RESIZABLE);
	SDL_Renderer *renderer = window ? sdl.CreateRenderer(window, -1, 0) : NULL;
	SDL_Texture *texture = renderer ? sdl.CreateTexture(renderer, SDL_PIXELFORMAT_RGBA32,
							    SDL_TEXTUREACCESS_STREAMING, w, h) : NULL;
	uint8_t *rgba = malloc((size_t)w * h * 4);
	if (!texture || !rgba) {
		sim_trace("display", "cannot open the window: %s", sdl.GetError());
		report_start(-ENODEV);
	} else {
		sdl.RenderSetLogicalSize(renderer, w, h);
		report_start(0);
		display_loop(renderer, texture, rgba);
	}
	free(rgba);
	if (texture) sdl.DestroyTexture(texture);
	if (renderer) sdl.DestroyRenderer(renderer);
	if (window) sdl.DestroyWindow(window);
	sdl.Quit();
	return NULL;
}

int sim_display_start(const struct sim_screen *screen, struct ps2_state *ps2, void (*on_quit)(void *ctx), void *ctx)
{
	if (disp.running)
		return -EBUSY;
	if (!getenv("DISPLAY") && !getenv("WAYLAND_DISPLAY"))
		return -ENODEV;
	disp.screen = *screen;
	disp.ps2 = ps2;
	disp.on_quit = on_quit;
	disp.ctx = ctx;
	disp.start_result = 1;
	atomic_store(&disp.stop, 0);
	if (pthread_create(&disp.thread, NULL, display_main, NULL))
		return -EAGAIN;
	pthread_mutex_lock(&disp.start_lock);
	while (disp.start_result == 1)
		pthread_cond_wait(&disp.started, &disp.start_lock);
	int rc = disp.start_result;
	pthread_mutex_unlock(&disp.start_lock);
	if (rc)
		pthread_join(disp.thread, NULL);
	else
		disp.running = 1;
	return rc;
}

void sim_display_stop(void)
{
	if (!disp.running || pthread_equal(pthread_self(), disp.thread))
		return;
	atomic_store(&disp.stop, 1);
	pthread_join(disp.thread, NULL);
	disp.running = 0;
}
