package command

import (
	"strings"
)

// flagSpec tells which flags of a command take a value. Flags it does not
// know are taken as booleans; when one is followed by a word that is not a
// flag, that word may have been its value and the scan is not sure.
type flagSpec struct {
	value    map[string]bool // take a value: "--tag", "-t"
	optional map[string]bool // take a value only as --flag=value (pflag NoOptDefVal)
	boolean  map[string]bool // known to take none
	// goStyle: Go flag package syntax (ctr): -name and --name alike, no
	// clusters of one-letter flags.
	goStyle bool
}

// flags builds a spec from space-separated names without dashes: one letter
// is a short flag, more a long one.
func flags(value, boolean, optional string) flagSpec {
	return flagSpec{value: names(value), boolean: names(boolean), optional: names(optional)}
}

func names(list string) map[string]bool {
	m := make(map[string]bool)
	for _, n := range strings.Fields(list) {
		if len(n) == 1 {
			m["-"+n] = true
		} else {
			m["--"+n] = true
		}
	}
	return m
}

// with returns the union of specs, for a subcommand that also accepts its
// parents' flags.
func (s flagSpec) with(more flagSpec) flagSpec {
	return flagSpec{value: union(s.value, more.value), boolean: union(s.boolean, more.boolean),
		optional: union(s.optional, more.optional), goStyle: s.goStyle || more.goStyle}
}

func union(a, b map[string]bool) map[string]bool {
	m := make(map[string]bool, len(a)+len(b))
	for k := range a {
		m[k] = true
	}
	for k := range b {
		m[k] = true
	}
	return m
}

// flag is one flag found in a command line.
type flag struct {
	name  string // with its dashes, as spelled: "--tag", "-t"
	value Word   // nil for a flag without value
}

// arg is a positional word with its index in the argv.
type arg struct {
	w Word
	i int
}

// scanned is a command line split into flags and positional words.
type scanned struct {
	flags []flag
	pos   []arg
	// rest are the words after the first positional when the scan stops
	// there (not interspersed), or after "--".
	rest []arg
	// unsure counts unknown flags followed by a word that may be their value.
	unsure int
}

func (s *scanned) values(names ...string) []Word {
	var out []Word
	for _, f := range s.flags {
		for _, n := range names {
			if f.name == n && f.value != nil {
				out = append(out, f.value)
			}
		}
	}
	return out
}

func (s *scanned) last(names ...string) Word {
	v := s.values(names...)
	if len(v) == 0 {
		return nil
	}
	return v[len(v)-1]
}

func (s *scanned) has(names ...string) bool {
	for _, f := range s.flags {
		for _, n := range names {
			if f.name == n {
				return true
			}
		}
	}
	return false
}

func (s *scanned) posWords() []Word {
	out := make([]Word, len(s.pos))
	for i, a := range s.pos {
		out[i] = a.w
	}
	return out
}

// isFlag reports whether w is spelled as a flag.
func isFlag(w Word) bool {
	h := w.head()
	return len(h) > 1 && h[0] == '-'
}

// scan splits args into flags and positional words. With interspersed
// false it stops at the first positional word, which with everything after
// it goes to rest (for docker exec, env, sudo: the command they run).
func (s flagSpec) scan(args []arg, interspersed bool) scanned {
	var r scanned
	for k := 0; k < len(args); k++ {
		a := args[k]
		if a.w.is("--") {
			r.rest = args[k+1:]
			return r
		}
		if !isFlag(a.w) {
			if !interspersed {
				r.rest = args[k:]
				return r
			}
			r.pos = append(r.pos, a)
			continue
		}
		next := func() (Word, bool) {
			if k+1 < len(args) {
				k++
				return args[k].w, true
			}
			return nil, false
		}
		h := a.w.head()
		if strings.HasPrefix(h, "--") || s.goStyle {
			s.long(&r, a.w, next, args[k+1:])
			continue
		}
		s.short(&r, a.w, next, args[k+1:])
	}
	return r
}

// long handles --name, --name=value and --name value (or -name for goStyle).
func (s flagSpec) long(r *scanned, w Word, next func() (Word, bool), after []arg) {
	name, value, found := w.cut("=")
	n, ok := name.Literal()
	if !ok {
		r.unsure++ // --$(x)=y: nothing to go on
		return
	}
	if s.goStyle { // -name and --name are one flag; names() spells one letter -n
		if b := strings.TrimLeft(n, "-"); len(b) == 1 {
			n = "-" + b
		} else {
			n = "--" + b
		}
	}
	switch {
	case found:
		r.flags = append(r.flags, flag{name: n, value: value})
	case s.value[n]:
		v, ok := next()
		if !ok {
			r.unsure++
			return
		}
		r.flags = append(r.flags, flag{name: n, value: v})
	default:
		s.bare(r, n, after)
	}
}

// short handles a cluster of one-letter flags: -q, -t img, -timg, -qt img, -t=img.
func (s flagSpec) short(r *scanned, w Word, next func() (Word, bool), after []arg) {
	h := w[0].Text
	for j := 1; j < len(h); j++ {
		n := "-" + h[j:j+1]
		if s.value[n] {
			v := Concat(Lit(strings.TrimPrefix(h[j+1:], "=")), w[1:])
			if len(v) == 0 {
				var ok bool
				if v, ok = next(); !ok {
					r.unsure++
					return
				}
			}
			r.flags = append(r.flags, flag{name: n, value: v})
			return
		}
		if j == len(h)-1 && len(w) == 1 {
			s.bare(r, n, after)
			continue
		}
		r.flags = append(r.flags, flag{name: n})
		if !s.boolean[n] {
			r.unsure++ // an unknown letter may take the rest of the word
		}
	}
	if len(w) > 1 {
		r.unsure++ // -q<slot>: a run-time value glued to a boolean flag
	}
}

// bare records a flag given without value that the spec does not say takes
// one: known booleans and optional-value flags are sure; an unknown flag is
// unsure when a non-flag word follows it.
func (s flagSpec) bare(r *scanned, n string, after []arg) {
	r.flags = append(r.flags, flag{name: n})
	if s.boolean[n] || s.optional[n] {
		return
	}
	if len(after) > 0 && !isFlag(after[0].w) {
		r.unsure++
	}
}
