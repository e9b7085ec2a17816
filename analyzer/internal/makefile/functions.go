package makefile

import (
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/imagetaglint/imagetaglint/analyzer/internal/command"
)

// arity is how many arguments each function takes, the last taking the
// rest of the text commas and all; 0: any number.
var arity = map[string]int{
	"subst": 3, "patsubst": 3, "strip": 1, "findstring": 2, "filter": 2, "filter-out": 2,
	"sort": 1, "word": 2, "wordlist": 3, "words": 1, "firstword": 1, "lastword": 1,
	"dir": 1, "notdir": 1, "suffix": 1, "basename": 1, "addprefix": 2, "addsuffix": 2,
	"join": 2, "wildcard": 1, "realpath": 1, "abspath": 1, "if": 3, "or": 0, "and": 0,
	"foreach": 3, "call": 0, "value": 1, "origin": 1, "flavor": 1, "shell": 1,
	"error": 1, "warning": 1, "info": 1, "eval": 1, "file": 2, "let": 3, "intcmp": 5, "guile": 1,
}

type function func(s *scope, args []string) command.Word

var functions map[string]function

func init() {
	functions = map[string]function{
		"subst": textFunc(3, func(a []string) string { return strings.ReplaceAll(a[2], a[0], a[1]) }),
		"patsubst": textFunc(3, func(a []string) string {
			return mapWords(a[2], func(w string) string { return patsubst(a[0], a[1], w) })
		}),
		"strip":      func(s *scope, a []string) command.Word { return strip(s.expand(a[0])) },
		"findstring": textFunc(2, findstring),
		"filter":     textFunc(2, func(a []string) string { return filter(a, true) }),
		"filter-out": textFunc(2, func(a []string) string { return filter(a, false) }),
		"sort": textFunc(1, func(a []string) string {
			w := strings.Fields(a[0])
			slices.Sort(w)
			return strings.Join(slices.Compact(w), " ")
		}),
		"word":      word,
		"wordlist":  wordlist,
		"words":     func(s *scope, a []string) command.Word { return command.Lit(itoa(len(fields(s.expand(a[0]))))) },
		"firstword": func(s *scope, a []string) command.Word { return pick(fields(s.expand(a[0])), 0) },
		"lastword": func(s *scope, a []string) command.Word {
			ws := fields(s.expand(a[0]))
			return pick(ws, len(ws)-1)
		},
		"dir": textFunc(1, func(a []string) string {
			return mapWords(a[0], func(w string) string {
				if i := strings.LastIndexByte(w, '/'); i >= 0 {
					return w[:i+1]
				}
				return "./"
			})
		}),
		"notdir": textFunc(1, func(a []string) string {
			return mapWords(a[0], func(w string) string { return w[strings.LastIndexByte(w, '/')+1:] })
		}),
		"suffix": textFunc(1, func(a []string) string {
			var out []string
			for _, w := range strings.Fields(a[0]) {
				if i := strings.LastIndexByte(w, '.'); i >= 0 && !strings.Contains(w[i:], "/") {
					out = append(out, w[i:])
				}
			}
			return strings.Join(out, " ")
		}),
		"basename": textFunc(1, func(a []string) string {
			return mapWords(a[0], func(w string) string {
				if i := strings.LastIndexByte(w, '.'); i >= 0 && !strings.Contains(w[i:], "/") {
					return w[:i]
				}
				return w
			})
		}),
		"addprefix": func(s *scope, a []string) command.Word { return affix(s, a, true) },
		"addsuffix": func(s *scope, a []string) command.Word { return affix(s, a, false) },
		"join": textFunc(2, func(a []string) string {
			x, y := strings.Fields(a[0]), strings.Fields(a[1])
			out := make([]string, max(len(x), len(y)))
			for i := range out {
				if i < len(x) {
					out[i] = x[i]
				}
				if i < len(y) {
					out[i] += y[i]
				}
			}
			return strings.Join(out, " ")
		}),
		"abspath": abspath,
		"if":      ifFunc,
		"or":      orFunc,
		"and":     andFunc,
		"foreach": foreach,
		"call":    call,
		"value":   value,
		"origin":  origin,
		"flavor":  flavor,
		"warning": silent,
		"info":    silent,
	}
	for _, name := range []string{"shell", "wildcard", "realpath", "error", "eval", "file", "let", "intcmp", "guile"} {
		functions[name] = runTime(name)
	}
}

// textFunc makes a function of literal text: its arguments are expanded
// and, when all are literal, f computes the result; otherwise it is
// Unknown.
func textFunc(n int, f func([]string) string) function {
	return func(s *scope, args []string) command.Word {
		texts := make([]string, n)
		for i := range n {
			if i >= len(args) {
				break
			}
			t, ok := s.expand(args[i]).Literal()
			if !ok {
				return command.Opaque("$(" + callText(args) + ")")
			}
			texts[i] = t
		}
		return command.Lit(f(texts))
	}
}

func callText(args []string) string { return "... " + strings.Join(args, ",") }

// runTime is a function whose result only make at run time knows: it is
// never run here.
func runTime(name string) function {
	return func(s *scope, args []string) command.Word {
		return command.Opaque("$(" + name + " " + strings.Join(args, ",") + ")")
	}
}

func silent(*scope, []string) command.Word { return command.Word{} }

func mapWords(text string, f func(string) string) string {
	ws := strings.Fields(text)
	for i, w := range ws {
		ws[i] = f(w)
	}
	return strings.Join(ws, " ")
}

func findstring(a []string) string {
	if strings.Contains(a[1], a[0]) {
		return a[0]
	}
	return ""
}

// filter keeps (or, with keep false, drops) the words matching any of the
// patterns.
func filter(a []string, keep bool) string {
	patterns := strings.Fields(a[0])
	var out []string
	for _, w := range strings.Fields(a[1]) {
		matched := slices.ContainsFunc(patterns, func(p string) bool { _, ok := match(p, w); return ok })
		if matched == keep {
			out = append(out, w)
		}
	}
	return strings.Join(out, " ")
}

func pick(ws []command.Word, i int) command.Word {
	if i < 0 || i >= len(ws) {
		return command.Word{}
	}
	return ws[i]
}

func word(s *scope, a []string) command.Word {
	n, err := strconv.Atoi(strings.TrimSpace(s.text(a[0])))
	if err != nil || len(a) < 2 {
		return command.Opaque("$(word " + strings.Join(a, ",") + ")")
	}
	return pick(fields(s.expand(a[1])), n-1)
}

func wordlist(s *scope, a []string) command.Word {
	if len(a) < 3 {
		return command.Word{}
	}
	from, err1 := strconv.Atoi(strings.TrimSpace(s.text(a[0])))
	to, err2 := strconv.Atoi(strings.TrimSpace(s.text(a[1])))
	if err1 != nil || err2 != nil || from < 1 {
		return command.Opaque("$(wordlist " + strings.Join(a, ",") + ")")
	}
	ws := fields(s.expand(a[2]))
	to = min(to, len(ws))
	if from > to {
		return command.Word{}
	}
	return join(ws[from-1 : to])
}

// affix adds a prefix or a suffix to each word; run-time words and
// affixes keep their parts.
func affix(s *scope, a []string, prefix bool) command.Word {
	if len(a) < 2 {
		return command.Word{}
	}
	fix := s.expand(a[0])
	ws := fields(s.expand(a[1]))
	for i, w := range ws {
		if prefix {
			ws[i] = command.Concat(fix, w)
		} else {
			ws[i] = command.Concat(w, fix)
		}
	}
	return join(ws)
}

func abspath(s *scope, a []string) command.Word {
	words, ok := literalFields(s.expand(a[0]))
	if !ok || s.m.cfg.Dir == "" {
		return command.Opaque("$(abspath " + a[0] + ")")
	}
	for i, w := range words {
		if !path.IsAbs(w) {
			w = path.Join(s.m.cfg.Dir, w)
		}
		words[i] = path.Clean(w)
	}
	return command.Lit(strings.Join(words, " "))
}

// ifFunc expands $(if COND,THEN,ELSE): only the branch taken, and Unknown
// when the condition's emptiness is not known.
func ifFunc(s *scope, a []string) command.Word {
	isEmpty, known := empty(s.expand(a[0]))
	switch {
	case !known:
		return command.Opaque("$(if " + strings.Join(a, ",") + ")")
	case !isEmpty:
		if len(a) > 1 {
			return s.expand(a[1])
		}
	case len(a) > 2:
		return s.expand(a[2])
	}
	return command.Word{}
}

// orFunc expands to the first non-empty argument. $(or $(X),d) with X
// only the environment's is X's value, else d.
func orFunc(s *scope, a []string) command.Word {
	for i, arg := range a {
		w := strip(s.expand(arg))
		isEmpty, known := empty(w)
		switch {
		case known && isEmpty:
			continue
		case known:
			return w
		case len(w) == 1 && w[0].IsVar() && w[0].Default == nil:
			return command.EnvVarOr(w[0].Text, orFunc(s, a[i+1:]))
		}
		return command.Opaque("$(or " + strings.Join(a, ",") + ")")
	}
	return command.Word{}
}

// andFunc expands to its last argument when none is empty.
func andFunc(s *scope, a []string) command.Word {
	var w command.Word
	for _, arg := range a {
		w = strip(s.expand(arg))
		isEmpty, known := empty(w)
		switch {
		case !known:
			return command.Opaque("$(and " + strings.Join(a, ",") + ")")
		case isEmpty:
			return command.Word{}
		}
	}
	return w
}

// foreach expands TEXT once per word of a known LIST, the variable bound
// to the word.
func foreach(s *scope, a []string) command.Word {
	if len(a) < 3 {
		return command.Word{}
	}
	name := strings.TrimSpace(s.text(a[0]))
	list := fields(s.expand(a[1]))
	if len(list) > maxForeach {
		return tooLarge
	}
	var out []command.Word
	for _, w := range list {
		auto := mapsWith(s.auto, name, w)
		out = append(out, s.with(auto).expand(a[2]))
		if s.st.steps <= 0 {
			return tooLarge
		}
	}
	return join(out)
}

func mapsWith(m map[string]command.Word, k string, v command.Word) map[string]command.Word {
	out := make(map[string]command.Word, len(m)+1)
	for key, val := range m {
		out[key] = val
	}
	out[k] = v
	return out
}

// call expands a variable with $(1), $(2)... bound to the arguments.
func call(s *scope, a []string) command.Word {
	name, ok := s.expand(a[0]).Literal()
	name = strings.TrimSpace(name)
	if !ok || s.st.calls >= maxCallDepth {
		return command.Opaque("$(call " + strings.Join(a, ",") + ")")
	}
	auto := map[string]command.Word{"0": command.Lit(name)}
	for i, arg := range a[1:] {
		auto[itoa(i+1)] = s.expand(arg)
	}
	for k, v := range s.auto { // the caller's automatic variables stay
		if _, ok := auto[k]; !ok && (len(k) > 2 || k == "" || k[0] < '0' || k[0] > '9') {
			auto[k] = v
		}
	}
	s.st.calls++
	defer func() { s.st.calls-- }()
	inner := s.with(auto)
	v, ok := s.m.vars[name]
	if !ok {
		return inner.lookup(name)
	}
	return inner.value(v)
}

// value returns a variable's text unexpanded.
func value(s *scope, a []string) command.Word {
	name := strings.TrimSpace(s.text(a[0]))
	if v, ok := s.m.vars[name]; ok && v.Recursive && !v.EnvDefault && v.Undecided == "" {
		return command.Lit(v.Raw)
	}
	return s.lookup(name)
}

// origin tells where a variable comes from.
func origin(s *scope, a []string) command.Word {
	name := strings.TrimSpace(s.text(a[0]))
	m := s.m
	v, inFile := m.vars[name]
	_, inCmd := m.cfg.Vars[name]
	_, inEnv := m.cfg.Env[name]
	switch {
	case inFile && v.Override:
		return command.Lit("override")
	case inCmd:
		return command.Lit("command line")
	case inFile && v.EnvDefault:
		return command.Opaque("$(origin " + name + ")") // the environment's or the file's
	case inFile:
		return command.Lit("file")
	case inEnv:
		return command.Lit("environment")
	case s.auto[name] != nil:
		return command.Lit("automatic")
	}
	return command.Opaque("$(origin " + name + ")")
}

func flavor(s *scope, a []string) command.Word {
	name := strings.TrimSpace(s.text(a[0]))
	v, ok := s.m.vars[name]
	switch {
	case !ok:
		return command.Opaque("$(flavor " + name + ")")
	case v.Recursive:
		return command.Lit("recursive")
	}
	return command.Lit("simple")
}
