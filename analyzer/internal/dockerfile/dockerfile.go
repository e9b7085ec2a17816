// Package dockerfile reads the stages of a Dockerfile or Containerfile with
// BuildKit's own parser, to tell which base images a build pulls.
package dockerfile

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"github.com/moby/buildkit/frontend/dockerfile/shell"
)

// MaxSize bounds the input Parse reads; real Dockerfiles are a few
// kilobytes.
const MaxSize = 1 << 20

// scratch is the empty image: a FROM of it pulls nothing.
const scratch = "scratch"

// Dockerfile is what a Dockerfile says about the images it builds from.
type Dockerfile struct {
	// Args are the global ARGs, declared before the first FROM: the only
	// ones a FROM line can use.
	Args   []Arg
	Stages []Stage
	// Copies are the COPY --from=IMAGE lines that name an image rather
	// than a stage.
	Copies []Base
}

// Arg is an ARG with its default, expanded against the ARGs before it.
type Arg struct {
	Name       string
	Default    string
	HasDefault bool
	Line       int
}

// Stage is one FROM and what follows it.
type Stage struct {
	Name string // the AS name, lower case as BuildKit matches it; "" when none
	From string // the image as written, before ARG expansion
	// Ref is From with the global ARGs' defaults expanded, as a build
	// without --build-arg sees it.
	Ref string
	// Unknown names the ARGs From uses whose value the file does not give,
	// sorted: declared without a default, not declared, or set by the
	// builder (TARGETARCH). Ref holds them as empty.
	Unknown  []string
	Line     int
	Platform string // --platform as written; "" when none
}

// Base is an image the build pulls.
type Base struct {
	Ref     string // with ARG defaults expanded
	From    string // as written
	Line    int
	Unknown []string // as in Stage
	Stage   int      // index of the stage whose FROM (or COPY) names it
	Copy    bool     // named by COPY --from rather than FROM
}

// Parse reads a Dockerfile. It fails on input BuildKit refuses, on input
// over MaxSize, and on a file that has no FROM.
func Parse(data []byte) (*Dockerfile, error) {
	if len(data) > MaxSize {
		return nil, fmt.Errorf("dockerfile: %d bytes, over the %d-byte limit", len(data), MaxSize)
	}
	res, err := parser.Parse(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("dockerfile: %w", err)
	}
	lex := shell.NewLex(res.EscapeToken)
	d := &Dockerfile{}
	global := argEnv{}
	for _, n := range res.AST.Children {
		switch strings.ToLower(n.Value) {
		case "arg":
			if len(d.Stages) == 0 {
				d.Args = append(d.Args, global.declare(lex, n)...)
			}
		case "from":
			st, ok := d.stage(lex, global, n)
			if !ok {
				return nil, fmt.Errorf("dockerfile: line %d: FROM without an image", n.StartLine)
			}
			d.Stages = append(d.Stages, st)
		case "copy":
			if len(d.Stages) > 0 {
				d.copyFrom(lex, global, n)
			}
		}
	}
	if len(d.Stages) == 0 {
		return nil, errors.New("dockerfile: no FROM instruction")
	}
	return d, nil
}

// stage reads FROM [--platform=P] IMAGE [AS NAME].
func (d *Dockerfile) stage(lex *shell.Lex, global argEnv, n *parser.Node) (Stage, bool) {
	if n.Next == nil {
		return Stage{}, false
	}
	st := Stage{From: n.Next.Value, Line: n.StartLine}
	if as := n.Next.Next; as != nil && strings.EqualFold(as.Value, "as") && as.Next != nil {
		st.Name = strings.ToLower(as.Next.Value)
	}
	for _, f := range n.Flags {
		if p, ok := strings.CutPrefix(f, "--platform="); ok {
			st.Platform = p
		}
	}
	st.Ref, st.Unknown = global.expand(lex, st.From)
	return st, true
}

// copyFrom records COPY --from=IMAGE when IMAGE is neither a stage name nor
// a stage index.
func (d *Dockerfile) copyFrom(lex *shell.Lex, global argEnv, n *parser.Node) {
	for _, f := range n.Flags {
		from, ok := strings.CutPrefix(f, "--from=")
		if !ok {
			continue
		}
		ref, unknown := global.expand(lex, from)
		if i, err := strconv.Atoi(ref); err == nil && i >= 0 || ref == "" || strings.EqualFold(ref, scratch) ||
			d.stageIndex(ref, len(d.Stages)) >= 0 {
			continue // a stage by number or name, scratch, or nothing
		}
		d.Copies = append(d.Copies, Base{Ref: ref, From: from, Line: n.StartLine, Unknown: unknown,
			Stage: len(d.Stages) - 1, Copy: true})
	}
}

// stageIndex returns the index of the stage among the first n that ref
// names, or -1.
func (d *Dockerfile) stageIndex(ref string, n int) int {
	for i, st := range d.Stages[:n] {
		if st.Name != "" && strings.EqualFold(ref, st.Name) {
			return i
		}
	}
	return -1
}

// BaseImages are the images a build pulls, in file order: each FROM that
// names neither an earlier stage nor scratch, and each COPY --from=IMAGE.
// The same image named twice is listed twice, with its lines.
func (d *Dockerfile) BaseImages() []Base {
	var out []Base
	copies := d.Copies
	for i, st := range d.Stages {
		if d.stageIndex(st.Ref, i) < 0 && !strings.EqualFold(st.Ref, scratch) && st.Ref != "" {
			out = append(out, Base{Ref: st.Ref, From: st.From, Line: st.Line, Unknown: st.Unknown, Stage: i})
		}
		for len(copies) > 0 && copies[0].Stage == i {
			out = append(out, copies[0])
			copies = copies[1:]
		}
	}
	return out
}

// argEnv holds the global ARGs in scope for FROM lines; only those with a
// default have a value.
type argEnv map[string]*string

func (e argEnv) Get(name string) (string, bool) {
	v, ok := e[name]
	if !ok || v == nil {
		return "", false
	}
	return *v, true
}

func (e argEnv) Keys() []string {
	return slices.Collect(maps.Keys(e))
}

// declare reads ARG NAME[=DEFAULT]...; a default is expanded against the
// ARGs before it, as BuildKit does.
func (e argEnv) declare(lex *shell.Lex, n *parser.Node) []Arg {
	var out []Arg
	for a := n.Next; a != nil; a = a.Next {
		name, def, hasDefault := strings.Cut(a.Value, "=")
		if name == "" {
			continue
		}
		arg := Arg{Name: name, HasDefault: hasDefault, Line: n.StartLine}
		if hasDefault {
			arg.Default, _ = e.expand(lex, def)
			e[name] = &arg.Default
		} else if _, ok := e[name]; !ok {
			e[name] = nil
		}
		out = append(out, arg)
	}
	return out
}

// expand expands the ARGs in word; it also returns the names it uses that
// have no value, sorted. A word the lexer refuses stays as written.
func (e argEnv) expand(lex *shell.Lex, word string) (string, []string) {
	res, err := lex.ProcessWordWithMatches(word, e)
	if err != nil {
		return word, nil
	}
	return res.Result, slices.Sorted(maps.Keys(res.Unmatched))
}
