// How an uncaught exception reads: where it happened and the JavaScript stack.
//
//   /app/main.js:3:9
//     throw new Error('boom');
//           ^
//   Uncaught Error: boom
//       at f (/app/main.js:3:9)
//
// A syntax error has no stack worth printing, so it is one line (file:line:column:
// message) and the offending source line.
#include "app.h"
#include "apps.h"

#include <cstring>

extern "C" {
#include "platform/platform.h"
}

namespace rtjs {

void WriteStderr(const std::string &s)
{
	platform_console_write(2, s.data(), s.size());
}

static std::string Location(v8::Isolate *isolate, v8::Local<v8::Context> context,
			    v8::Local<v8::Message> message)
{
	std::string file = ToStd(isolate, message->GetScriptResourceName());
	int line = message->GetLineNumber(context).FromMaybe(0);
	int column = message->GetStartColumn(context).FromMaybe(0) + 1;
	return file + ":" + std::to_string(line) + ":" + std::to_string(column);
}

static std::string SourceWithCaret(v8::Isolate *isolate, v8::Local<v8::Context> context,
				   v8::Local<v8::Message> message)
{
	v8::Local<v8::String> source_line;
	if (!message->GetSourceLine(context).ToLocal(&source_line))
		return "";
	std::string text = ToStd(isolate, source_line);
	int start = message->GetStartColumn(context).FromMaybe(0);
	int end = message->GetEndColumn(context).FromMaybe(start + 1);
	if (start < 0 || start > (int)text.size() || text.size() > 200)
		return "";
	if (end <= start)
		end = start + 1;
	std::string caret(start, ' ');
	for (int i = 0; i < start; i++)
		if (text[i] == '\t')
			caret[i] = '\t';
	caret += std::string(end - start, '^');
	return "  " + text + "\n  " + caret + "\n";
}

// The error as the console would show it, as Node does: inspect(value), which for an Error
// is its stack followed by its own properties (code, ...) and its cause. Without the
// inspect hook (early in start-up, or while terminating) an Error is its stack.
static std::string Describe(App *app, v8::Local<v8::Context> context, v8::Local<v8::Value> e)
{
	v8::Isolate *isolate = app->isolate();
	// The value is the app's: a getter, proxy trap or custom inspect it runs may throw, which
	// says nothing more about this error.
	v8::TryCatch tc(isolate);
	if (app->HasHook(App::HookId::kInspect) && !isolate->IsExecutionTerminating()) {
		v8::Local<v8::Value> arg[] = { e };
		v8::Local<v8::Value> out;
		if (app->Hook(App::HookId::kInspect)->Call(context, v8::Undefined(isolate), 1, arg).ToLocal(&out))
			return ToStd(isolate, out);
	}
	v8::Local<v8::Value> stack;
	if (e->IsObject() && e.As<v8::Object>()->Get(context, Str(isolate, "stack")).ToLocal(&stack) &&
	    stack->IsString())
		return ToStd(isolate, stack);
	return ToStd(isolate, e);
}

void App::ReportException(v8::Local<v8::Value> exception, v8::Local<v8::Message> message,
			  const char *prefix)
{
	v8::HandleScope scope(isolate_);
	v8::Local<v8::Context> ctx = context();
	// Apps other than init name themselves: several may share the console.
	std::string out = id_ == kInitAppId ? "" : "rtjs: in app '" + name_ + "' (id " + std::to_string(id_) + "):\n";
	bool syntax = false;
	if (exception->IsNativeError()) {
		v8::Local<v8::Object> obj = exception.As<v8::Object>();
		syntax = obj->GetConstructorName()->StringEquals(Str(isolate_, "SyntaxError"));
	}
	if (message.IsEmpty()) {
		WriteStderr(out + prefix + Describe(this, ctx, exception) + "\n");
		return;
	}
	std::string text = ToStd(isolate_, message->Get());
	if (text.rfind("Uncaught ", 0) == 0)
		text = text.substr(strlen("Uncaught "));
	if (syntax) {
		out += Location(isolate_, ctx, message) + ": " + text + "\n";
		out += SourceWithCaret(isolate_, ctx, message);
		WriteStderr(out);
		return;
	}
	std::string described = Describe(this, ctx, exception);
	// A value thrown from where V8 knows no script (a rejected module) has no location.
	if (message->GetScriptResourceName()->IsString())
		out += Location(isolate_, ctx, message) + "\n" + SourceWithCaret(isolate_, ctx, message);
	out += prefix + described + "\n";
	// A thrown non-Error carries no stack: name the frames from the message instead.
	if (described.find("\n    at ") == std::string::npos) {
		v8::Local<v8::StackTrace> trace = message->GetStackTrace();
		for (int i = 0; !trace.IsEmpty() && i < trace->GetFrameCount(); i++) {
			v8::Local<v8::StackFrame> f = trace->GetFrame(isolate_, i);
			std::string fn = ToStd(isolate_, f->GetFunctionName());
			std::string where = ToStd(isolate_, f->GetScriptName()) + ":" +
					    std::to_string(f->GetLineNumber()) + ":" +
					    std::to_string(f->GetColumn());
			out += "    at " + (fn.empty() ? where : fn + " (" + where + ")") + "\n";
		}
	}
	WriteStderr(out);
}

}  // namespace rtjs
