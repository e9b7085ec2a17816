package chart

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"text/template/parse"
)

// ref is a tree of the .Values paths templates read. A path read whole
// (.Values.image in a with, a toYaml or an include) stands for every key
// under it, so any of them counts as read.
type ref struct {
	children map[string]*ref
	read     bool   // a template reads this path
	file     string // where it is first read
	line     int
}

// reads reports whether key, or a path above it, is read; or key lies above
// a path read (image when image.tag is read).
func (r *ref) reads(key []string) (*ref, bool) {
	for _, k := range key {
		if r.read {
			return r, true
		}
		if r = r.children[k]; r == nil {
			return nil, false
		}
	}
	return r.first(), true
}

// first returns a read node at or under r, the same on every run, for its
// position.
func (r *ref) first() *ref {
	for !r.read && len(r.children) > 0 {
		r = r.children[slices.Min(slices.Collect(maps.Keys(r.children)))]
	}
	return r
}

func (r *ref) add(key []string, file string, line int) {
	for _, k := range key {
		if r.children == nil {
			r.children = map[string]*ref{}
		}
		next := r.children[k]
		if next == nil {
			next = &ref{}
			r.children[k] = next
		}
		r = next
	}
	if !r.read {
		r.read, r.file, r.line = true, file, line
	}
}

// addTemplate records the .Values paths the template text reads, parsed with Go's
// own template parser as helm does (functions are helm's and sprig's, not
// checked here).
func (r *ref) addTemplate(file, text string) error {
	t := parse.New(file)
	t.Mode = parse.SkipFuncCheck
	trees := map[string]*parse.Tree{}
	if _, err := t.Parse(text, "", "", trees); err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	w := &walker{r: r, file: file, text: text}
	for _, tree := range trees {
		if tree.Root != nil {
			w.node(tree.Root)
		}
	}
	return nil
}

type walker struct {
	r    *ref
	file string
	text string
}

func (w *walker) add(key []string, pos parse.Pos) {
	line := 0
	if p := int(pos); p >= 0 && p <= len(w.text) {
		line = strings.Count(w.text[:p], "\n") + 1
	}
	w.r.add(key, w.file, line)
}

func (w *walker) node(n parse.Node) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, c := range n.Nodes {
			w.node(c)
		}
	case *parse.ActionNode:
		w.node(n.Pipe)
	case *parse.IfNode:
		w.branch(&n.BranchNode)
	case *parse.RangeNode:
		w.branch(&n.BranchNode)
	case *parse.WithNode:
		w.branch(&n.BranchNode)
	case *parse.TemplateNode:
		w.node(n.Pipe)
	case *parse.PipeNode:
		if n == nil {
			return
		}
		for _, c := range n.Cmds {
			w.node(c)
		}
	case *parse.CommandNode:
		w.command(n)
	case *parse.FieldNode:
		if key, ok := valuesKey(n.Ident); ok {
			w.add(key, n.Position())
		}
	case *parse.VariableNode:
		if len(n.Ident) > 0 {
			if key, ok := valuesKey(n.Ident[1:]); ok { // $.Values.x, $root.Values.x
				w.add(key, n.Position())
			}
		}
	case *parse.ChainNode:
		if f, ok := n.Node.(*parse.FieldNode); ok {
			if key, ok := valuesKey(append(append([]string(nil), f.Ident...), n.Field...)); ok {
				w.add(key, n.Position())
				return
			}
		}
		w.node(n.Node)
	}
}

func (w *walker) branch(b *parse.BranchNode) {
	w.node(b.Pipe)
	w.node(b.List)
	w.node(b.ElseList)
}

// command reads index .Values "a" "b" as the path a.b; other commands read
// their arguments whole.
func (w *walker) command(c *parse.CommandNode) {
	if len(c.Args) >= 3 {
		if id, ok := c.Args[0].(*parse.IdentifierNode); ok && id.Ident == "index" {
			if key, ok := argKey(c.Args[1]); ok {
				for _, a := range c.Args[2:] {
					k, ok := indexKey(a)
					if !ok {
						break
					}
					key = append(key, k)
				}
				w.add(key, c.Args[1].Position())
				for _, a := range c.Args[2:] {
					w.node(a)
				}
				return
			}
		}
	}
	for _, a := range c.Args {
		w.node(a)
	}
}

// argKey returns the values path a field or variable argument reads.
func argKey(n parse.Node) ([]string, bool) {
	switch n := n.(type) {
	case *parse.FieldNode:
		return valuesKey(n.Ident)
	case *parse.VariableNode:
		if len(n.Ident) > 0 {
			return valuesKey(n.Ident[1:])
		}
	}
	return nil, false
}

// indexKey returns the key an index argument names: a string key or a list
// index "[N]".
func indexKey(n parse.Node) (string, bool) {
	switch n := n.(type) {
	case *parse.StringNode:
		return n.Text, true
	case *parse.NumberNode:
		if n.IsInt && n.Int64 >= 0 {
			return "[" + strconv.FormatInt(n.Int64, 10) + "]", true
		}
	}
	return "", false
}

// valuesKey returns the key below .Values that a field chain reads.
func valuesKey(ident []string) ([]string, bool) {
	if len(ident) == 0 || ident[0] != "Values" {
		return nil, false
	}
	return append([]string{}, ident[1:]...), true
}
