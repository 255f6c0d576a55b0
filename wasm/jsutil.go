//go:build js && wasm

package main

// The JavaScript calling convention of raftlab.
//
// Go in WebAssembly cannot throw a JavaScript exception: a js.Func can only
// return a value, and a panic that leaves a js.Func kills the whole module. So
// every exported function goes through export, which
//
//   - recovers any panic of the Go function (the module keeps running),
//   - turns a panic or a returned error into a Failure object made by the JS
//     bridge (bridge.fail(message)), and
//   - hands the Go function to bridge.wrap(goFunc, name), which returns the
//     plain JS function that is published. That JS wrapper calls the Go
//     function and, when the result is a Failure, throws new Error(message)
//     in the caller's frame; any other result is returned as is.
//
// The bridge is the object globalThis.__raftlabBridge, defined by
// site/static/raftlab-loader.js before the module starts (the wasm tests
// evaluate the same file under node). Failure is a class private to the
// bridge, so no value a Go function returns can be mistaken for one.
//
// The bridge is also the only way into Go (see the comment at the top of
// raftlab-loader.js): wrap and guard refuse a call made while Go runs (from
// a getter or a Proxy) or with the JavaScript stack nearly full, and Go
// never calls a page's callback while it runs — post queues the call until
// Go has returned. So a callback that calls raftlab again cannot re-enter
// Go, and no panic can happen while the runtime holds a lock.
//
// Error messages always start with the qualified name of the function, for
// example "raftlab.create: argument 1 (element) must be an Element or a CSS
// selector string, got number".
//
// Argument helpers (Call.String, Call.Int, ...) panic with a *usageError when
// the argument is wrong; export reports that as a plain message. Any other
// panic is reported as "<name>: internal error: <value>" and its Go stack is
// written to console.error.

import (
	"errors"
	"math"
	"runtime"
	"strconv"
	"syscall/js"
)

// bridgeProtocol must equal the protocol field of the JS bridge: a mismatch
// means a cached loader and a new module (or the reverse).
const bridgeProtocol = 2

// bridge is globalThis.__raftlabBridge, set by main (or a test).
var bridge js.Value

// Func is the Go side of an exported JS function. Its value is converted with
// js.ValueOf (so: nil, bool, numbers, string, js.Value, js.Func, []any,
// map[string]any).
type Func func(c *Call) (any, error)

// Call is one call of an exported function.
type Call struct {
	Name string     // qualified name, e.g. "raftlab.create"
	This js.Value   // the JS this
	Args []js.Value // the JS arguments
}

// usageError is a mistake of the caller: its message is shown as it is,
// after the function's name.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

// Fail stops the call with a usage error: the caller gets a JS Error
// "<name>: <msg>".
func (c *Call) Fail(msg string) {
	panic(&usageError{msg})
}

// newFunc makes the js.Func that runs fn for calls of the function name and
// never panics.
func newFunc(name string, fn Func) js.Func {
	return js.FuncOf(func(this js.Value, args []js.Value) (result any) {
		defer func() {
			if r := recover(); r != nil {
				result = failure(name, panicMessage(r))
			}
		}()
		v, err := fn(&Call{Name: name, This: this, Args: args})
		if err != nil {
			return failure(name, err.Error())
		}
		return v
	})
}

// failure is what a Go function returns to make its JS wrapper throw.
func failure(name, msg string) js.Value {
	return bridge.Call("fail", name+": "+msg)
}

// badTypeFlag is what syscall/js panics with when asked the type of a
// value it cannot represent: a BigInt (a top-level BigInt argument is
// refused by the bridge; this catches one inside an object or array).
const badTypeFlag = "bad type flag"

func panicMessage(r any) string {
	if s, ok := r.(string); ok && s == badTypeFlag {
		return "an argument holds a value raftlab cannot read (a BigInt?); pass Numbers, strings, arrays and plain objects"
	}
	var ue *usageError
	if err, ok := r.(error); ok && errors.As(err, &ue) {
		return ue.msg
	}
	if jsErr, ok := r.(js.Error); ok {
		// A JS exception inside a Go function: keep its message.
		v := jsErr.Value
		if v.Type() == js.TypeObject && v.Get("message").Type() == js.TypeString {
			return v.Get("message").String()
		}
		if v.Type() == js.TypeString {
			return v.String()
		}
		return "JavaScript exception"
	}
	msg := "internal error: "
	switch v := r.(type) {
	case error:
		msg += v.Error()
	case string:
		msg += v
	default:
		msg += "panic"
	}
	stack := make([]byte, 8<<10)
	stack = stack[:runtime.Stack(stack, false)] // not runtime/debug: it pulls in fmt
	js.Global().Get("console").Call("error", "raftlab: "+msg+"\n"+string(stack))
	return msg
}

// post asks the bridge to call the page's function f with args once Go has
// returned (what names it in a console message if it throws).
func post(what string, f js.Value, args ...any) {
	bridge.Call("post", append([]any{what, f}, args...)...)
}

// guarded is a Go function handed to the page as an event handler or a
// callback, entered only through the bridge's guard.
type guarded struct {
	fn js.Func  // release when done
	js js.Value // the guarded function to hand to the page
}

// guardFunc makes fn a guarded function; what names it in console messages.
// A panic in fn is reported on the console and the page keeps running.
func guardFunc(what string, fn func(this js.Value, args []js.Value) any) guarded {
	f := js.FuncOf(func(this js.Value, args []js.Value) (result any) {
		defer func() {
			if r := recover(); r != nil {
				js.Global().Get("console").Call("error", "raftlab: "+what+": "+panicMessage(r))
				result = nil
			}
		}()
		return fn(this, args)
	})
	return guarded{fn: f, js: bridge.Call("guard", f, what)}
}

// exports publishes functions on one JS object and releases them together.
type exports struct {
	obj    js.Value
	prefix string // "raftlab", "cluster", ...
	names  []string
	funcs  []js.Func
}

func newExports(obj js.Value, prefix string) *exports {
	return &exports{obj: obj, prefix: prefix}
}

// fn publishes fn as obj[name], wrapped by the bridge.
func (e *exports) fn(name string, fn Func) {
	qualified := e.prefix + "." + name
	f := newFunc(qualified, fn)
	e.names = append(e.names, name)
	e.funcs = append(e.funcs, f)
	e.obj.Set(name, bridge.Call("wrap", f, qualified))
}

// release frees the Go functions and replaces each with a JS function that
// throws "<name>: this object was destroyed".
func (e *exports) release() {
	for i, f := range e.funcs {
		e.obj.Set(e.names[i], bridge.Call("gone", e.prefix+"."+e.names[i]))
		f.Release()
	}
	e.names, e.funcs = nil, nil
}

// --- argument helpers ---------------------------------------------------
//
// Positions are 0-based in Go and shown 1-based to people:
// c.String(1, "command") reports "argument 2 (command) must be a string, got
// number".

func (c *Call) arg(i int) js.Value {
	if i < len(c.Args) {
		return c.Args[i]
	}
	return js.Undefined()
}

func (c *Call) argFail(i int, name, want string, v js.Value) {
	c.Fail("argument " + strconv.Itoa(i+1) + " (" + name + ") must be " + want + ", got " + describe(v))
}

// String returns argument i, which must be a string.
func (c *Call) String(i int, name string) string {
	v := c.arg(i)
	if v.Type() != js.TypeString {
		c.argFail(i, name, "a string", v)
	}
	return v.String()
}

// Number returns argument i, which must be a finite number.
func (c *Call) Number(i int, name string) float64 {
	v := c.arg(i)
	if v.Type() != js.TypeNumber || !finite(v.Float()) {
		c.argFail(i, name, "a finite number", v)
	}
	return v.Float()
}

// Int returns argument i, which must be an integer in [min, max].
func (c *Call) Int(i int, name string, min, max int) int {
	v := c.arg(i)
	n, ok := toInt(v, min, max)
	if !ok {
		c.argFail(i, name, intRange(min, max), v)
	}
	return n
}

// Given reports whether argument i was passed (and is not undefined).
func (c *Call) Given(i int) bool { return !c.arg(i).IsUndefined() }

// Bool returns argument i, which must be a boolean.
func (c *Call) Bool(i int, name string) bool {
	v := c.arg(i)
	if v.Type() != js.TypeBoolean {
		c.argFail(i, name, "a boolean", v)
	}
	return v.Bool()
}

// Object returns argument i, which must be an object (not null, not a
// function).
func (c *Call) Object(i int, name string) js.Value {
	v := c.arg(i)
	if v.Type() != js.TypeObject {
		c.argFail(i, name, "an object", v)
	}
	return v
}

// Options returns argument i as an options object; undefined or null give
// empty options.
func (c *Call) Options(i int, name string) Options {
	v := c.arg(i)
	if v.IsUndefined() || v.IsNull() {
		return Options{name: name, v: js.Undefined()}
	}
	if v.Type() != js.TypeObject || isArray(v) {
		c.argFail(i, name, "an object", v)
	}
	return Options{name: name, v: v}
}

// Options reads fields of an options object; a missing (undefined) field
// gives the default, a field of the wrong type stops the call with
// "<name>.<key> must be ..., got ...". Lenient options instead note the
// problem and give the default (raftlab.create with fallback: a page
// address must not stop the page).
type Options struct {
	name  string
	v     js.Value
	notes *[]string // lenient: where problems are noted
}

// Lenient returns o reading leniently, noting problems in notes.
func (o Options) Lenient(notes *[]string) Options {
	o.notes = notes
	return o
}

func (o Options) get(key string) js.Value {
	if o.v.IsUndefined() {
		return o.v
	}
	return o.v.Get(key)
}

// fail reports a wrong field: it stops the call, or, when lenient, notes
// the problem and returns so that the caller uses the default.
func (o Options) fail(key, want string, v js.Value) {
	msg := o.name + "." + key + " must be " + want + ", got " + describe(v)
	if o.notes != nil {
		*o.notes = append(*o.notes, msg)
		return
	}
	panic(&usageError{msg})
}

// Int returns the integer field key, in [min, max], or def.
func (o Options) Int(key string, def, min, max int) int {
	v := o.get(key)
	if v.IsUndefined() {
		return def
	}
	n, ok := toInt(v, min, max)
	if !ok {
		o.fail(key, intRange(min, max), v)
		return def
	}
	return n
}

// Float returns the number field key, finite and in [min, max], or def.
func (o Options) Float(key string, def, min, max float64) float64 {
	v := o.get(key)
	if v.IsUndefined() {
		return def
	}
	if v.Type() != js.TypeNumber || !finite(v.Float()) || v.Float() < min || v.Float() > max {
		o.fail(key, "a number from "+strconv.FormatFloat(min, 'g', -1, 64)+" to "+strconv.FormatFloat(max, 'g', -1, 64), v)
		return def
	}
	return v.Float()
}

// Has reports whether the field key is given (not undefined).
func (o Options) Has(key string) bool { return !o.get(key).IsUndefined() }

// String returns the string field key, or def.
func (o Options) String(key, def string) string {
	v := o.get(key)
	if v.IsUndefined() {
		return def
	}
	if v.Type() != js.TypeString {
		o.fail(key, "a string", v)
		return def
	}
	return v.String()
}

// Bool returns the boolean field key, or def.
func (o Options) Bool(key string, def bool) bool {
	v := o.get(key)
	if v.IsUndefined() {
		return def
	}
	if v.Type() != js.TypeBoolean {
		o.fail(key, "a boolean", v)
		return def
	}
	return v.Bool()
}

func toInt(v js.Value, min, max int) (int, bool) {
	if v.Type() != js.TypeNumber {
		return 0, false
	}
	f := v.Float()
	if !finite(f) || f != math.Trunc(f) || f < float64(min) || f > float64(max) {
		return 0, false
	}
	return int(f), true
}

func intRange(min, max int) string {
	return "an integer from " + strconv.Itoa(min) + " to " + strconv.Itoa(max)
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

func isArray(v js.Value) bool {
	return js.Global().Get("Array").Call("isArray", v).Bool()
}

// describe names what a caller passed: the JS type, and the value itself for
// numbers and booleans ("number 2.5", "null", "array", "string").
func describe(v js.Value) string {
	switch v.Type() {
	case js.TypeNumber:
		return "number " + strconv.FormatFloat(v.Float(), 'g', -1, 64)
	case js.TypeBoolean:
		return strconv.FormatBool(v.Bool())
	case js.TypeObject:
		if isArray(v) {
			return "array"
		}
	}
	return v.Type().String()
}
