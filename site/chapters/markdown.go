package chapters

import (
	"bytes"
	"html"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// The Markdown of chapters is CommonMark with tables, rendered by goldmark
// with its defaults: raw HTML in a chapter is omitted, never copied into the
// page, and links with dangerous schemes (javascript:) lose their target.
// One addition: action links, [label](action:ACTIONS), rendered as buttons.

// actionNode is an action link: [label](action:text).
type actionNode struct {
	ast.BaseInline
	label    string
	text     string // the actions as written
	offset   int    // in the body, for line numbers
	closed   bool   // a ')' ended it
	exercise int    // 1-based, set after parsing
	actions  string // canonical actions, one per line, set after parsing
}

var kindAction = ast.NewNodeKind("RaftlabAction")

func (n *actionNode) Kind() ast.NodeKind { return kindAction }

func (n *actionNode) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"Action": n.text}, nil)
}

// actionParser reads [label](action:text) on one line. It runs before
// goldmark's link parser, which would not take a destination with spaces.
type actionParser struct{}

func (actionParser) Trigger() []byte { return []byte{'['} }

var actionMark = []byte("](action:")

func (actionParser) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	line, seg := block.PeekLine()
	end := bytes.Index(line, actionMark)
	if end < 0 || bytes.ContainsAny(line[1:end], "[]") {
		return nil
	}
	rest := line[end+len(actionMark):]
	n := &actionNode{label: string(line[1:end]), offset: seg.Start}
	closeAt := bytes.IndexByte(rest, ')')
	if closeAt < 0 {
		n.text = strings.TrimRight(string(rest), "\r\n")
		block.Advance(len(line))
		return n
	}
	n.text, n.closed = string(rest[:closeAt]), true
	block.Advance(end + len(actionMark) + closeAt + 1)
	return n
}

type actionRenderer struct{}

func (actionRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(kindAction, renderAction)
}

// renderAction writes a button the page's script enables once the cluster
// runs. The label is text, never HTML.
func renderAction(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	n := node.(*actionNode)
	w.WriteString(`<button type="button" class="tut-action" data-exercise="`)
	w.WriteString(strconv.Itoa(n.exercise))
	w.WriteString(`" data-action="`)
	w.WriteString(html.EscapeString(n.actions))
	w.WriteString(`" disabled>`)
	w.WriteString(html.EscapeString(n.label))
	w.WriteString(`</button>`)
	return ast.WalkSkipChildren, nil
}

type actionExtension struct{}

func (actionExtension) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithInlineParsers(util.Prioritized(actionParser{}, 150)))
	m.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(actionRenderer{}, 100)))
}

// eastAsianLines drops a line break between two East Asian wide characters
// (Japanese has no spaces between words, and a browser would show the
// break as one).
var eastAsianLines = extension.NewCJK(extension.WithEastAsianLineBreaks())

// newMarkdown is the Markdown of chapters. Raw HTML stays disabled: do not
// add html.WithUnsafe.
func newMarkdown() goldmark.Markdown {
	return goldmark.New(
		goldmark.WithExtensions(extension.Table, eastAsianLines, actionExtension{}),
		goldmark.WithParserOptions(parser.WithAutoHeadingID()),
	)
}

// newPlainMarkdown renders documentation (the authors' page): no action
// links, the same safety.
func newPlainMarkdown() goldmark.Markdown {
	return goldmark.New(
		goldmark.WithExtensions(extension.Table, eastAsianLines),
		goldmark.WithParserOptions(parser.WithAutoHeadingID()),
	)
}

// joinLines joins a line and the line that continues it with a space,
// but not between two East Asian wide characters, where a space would show.
func joinLines(a, b string) string {
	last, _ := utf8.DecodeLastRuneInString(a)
	first, _ := utf8.DecodeRuneInString(b)
	if wide(last) && wide(first) {
		return a + b
	}
	return a + " " + b
}

// wide reports an East Asian wide character: kana, kanji, their
// punctuation, and the full-width forms (（）：).
func wide(r rune) bool {
	return util.IsEastAsianWideRune(r) || r >= 0xFF01 && r <= 0xFF60
}

// renderInline renders a short piece of Markdown (a quiz question, a
// choice) without the paragraph around it.
func renderInline(md goldmark.Markdown, src string) string {
	var buf bytes.Buffer
	if err := md.Convert([]byte(src), &buf); err != nil {
		return html.EscapeString(src)
	}
	s := strings.TrimSpace(buf.String())
	if strings.HasPrefix(s, "<p>") && strings.HasSuffix(s, "</p>") && strings.Count(s, "<p>") == 1 {
		s = s[len("<p>") : len(s)-len("</p>")]
	}
	return s
}

// RenderDocument renders a Markdown document that is not a chapter (the
// authors' page) with the same Markdown and safety as chapters.
func RenderDocument(src []byte) (string, error) {
	var buf bytes.Buffer
	err := newPlainMarkdown().Convert(src, &buf)
	return buf.String(), err
}

// lineIndex maps byte offsets of a body to lines of its file.
type lineIndex struct {
	starts []int // offset of each line's start
	first  int   // the body's first line in the file
}

func newLineIndex(body []byte, first int) lineIndex {
	li := lineIndex{starts: []int{0}, first: first}
	for i, c := range body {
		if c == '\n' {
			li.starts = append(li.starts, i+1)
		}
	}
	return li
}

func (li lineIndex) line(offset int) int {
	lo, hi := 0, len(li.starts)
	for hi-lo > 1 {
		m := (lo + hi) / 2
		if li.starts[m] <= offset {
			lo = m
		} else {
			hi = m
		}
	}
	return li.first + lo
}
