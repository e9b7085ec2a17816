package analyzer

import (
	"go/ast"
	"go/types"
	"reflect"
	"regexp"
)

// An Entry is one configured function name or name pattern.
type Entry struct {
	Key   string // the setting, e.g. "producers"
	Value string // the entry, e.g. "example.com/e2e/infra.BuildImage"
}

// Usage records which function entries of a Config (the settings checked as
// "funcs" or "funcpattern") match a function of the analysed code, so that a
// driver can warn about one that matches nothing: most likely a typo.
// Entries are matched as the checks match them, by identity or by name.
type Usage struct {
	entries []usageEntry
	left    int // entries not matched yet
}

type usageEntry struct {
	Entry
	matches func(*types.Func) bool
	matched bool
}

// newUsage returns a Usage for the function entries of cfg, which
// Compile validated.
func newUsage(cfg Config) *Usage {
	u := &Usage{}
	v := reflect.ValueOf(cfg)
	for _, s := range settingsOfConfig() {
		switch s.check {
		case "funcs":
			for _, spec := range v.Field(s.index).Interface().([]string) {
				m, _ := parseFuncMatcher(spec)
				u.entries = append(u.entries, usageEntry{Entry: Entry{s.key, spec}, matches: m.matches})
			}
		case "funcpattern":
			re := regexp.MustCompile(v.Field(s.index).String())
			u.entries = append(u.entries, usageEntry{Entry: Entry{s.key, re.String()}, matches: func(fn *types.Func) bool {
				return re.MatchString(fn.Name())
			}})
		}
	}
	u.left = len(u.entries)
	return u
}

// Add records the functions that info's code declares or uses.
func (u *Usage) Add(info *types.Info) {
	for _, objs := range []map[*ast.Ident]types.Object{info.Defs, info.Uses} {
		for _, obj := range objs {
			if u.left == 0 {
				return
			}
			if fn, ok := obj.(*types.Func); ok {
				u.match(fn)
			}
		}
	}
}

func (u *Usage) match(fn *types.Func) {
	for i := range u.entries {
		e := &u.entries[i]
		if !e.matched && e.matches(fn) {
			e.matched = true
			u.left--
		}
	}
}

// Unmatched returns the entries that matched no function, in the order of
// the settings.
func (u *Usage) Unmatched() []Entry {
	var es []Entry
	for _, e := range u.entries {
		if !e.matched {
			es = append(es, e.Entry)
		}
	}
	return es
}
