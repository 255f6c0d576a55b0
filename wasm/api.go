//go:build js && wasm

package main

// The raftlab JavaScript API. For now: the infrastructure and a placeholder
// create. See jsutil.go for the calling convention.
//
//	raftlab.version                   string
//	raftlab.create(element, options)  -> cluster handle
//	    element: an Element, or a CSS selector string
//	    options: {nodes: 1..9 (default 5), title: string}
//	cluster.element                   the <figure> the view drew
//	cluster.nodes                     the number of servers
//	cluster.destroy()                 removes the view; the handle's
//	                                  functions are released

import (
	"syscall/js"

	"honnef.co/go/js/dom/v2"
)

// version is the module's version; a build may set it with
// -ldflags "-X main.version=...".
var version = "0.1.0-dev"

// newAPI builds the global raftlab object.
func newAPI() js.Value {
	api := newObject()
	api.Set("version", version)
	ex := newExports(api, "raftlab")
	ex.fn("create", create)
	return api
}

func create(c *Call) (any, error) {
	host := c.Element(0, "element")
	opts := c.Options(1, "options")
	n := opts.Int("nodes", 5, 1, 9)
	title := opts.String("title", "")

	view := newRingView(host, n, title)
	h := newObject()
	h.Set("element", view.root.Underlying())
	h.Set("nodes", n)
	ex := newExports(h, "cluster")
	ex.fn("destroy", func(c *Call) (any, error) {
		view.destroy()
		ex.release()
		return nil, nil
	})
	return h, nil
}

// Element returns argument i: an Element, or a CSS selector string that
// matches one.
func (c *Call) Element(i int, name string) dom.Element {
	v := c.arg(i)
	switch {
	case v.Type() == js.TypeString:
		el := js.Global().Get("document").Call("querySelector", v)
		if el.IsNull() {
			c.Fail("argument " + itoa(i+1) + " (" + name + "): no element matches the selector " + quote(v.String()))
		}
		return dom.WrapElement(el)
	case v.Type() == js.TypeObject && isElement(v):
		return dom.WrapElement(v)
	}
	c.argFail(i, name, "an Element or a CSS selector string", v)
	return nil
}

// isElement reports whether v is a DOM Element (false where there is no DOM,
// as under node).
func isElement(v js.Value) bool {
	ctor := js.Global().Get("Element")
	return ctor.Type() == js.TypeFunction && v.InstanceOf(ctor)
}

func newObject() js.Value { return js.Global().Get("Object").New() }
