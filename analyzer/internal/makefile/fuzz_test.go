package makefile

import (
	"strings"
	"testing"
	"time"

	"github.com/imagetaglint/imagetaglint/analyzer/internal/command"
)

// doubling defines A0 = x, A1 = $(A0)$(A0), ...: a value of 2^n bytes.
func doubling(n int) string {
	var b strings.Builder
	b.WriteString("A0 = x\n")
	for i := 1; i <= n; i++ {
		b.WriteString("A" + itoa(i) + " = $(A" + itoa(i-1) + ")$(A" + itoa(i-1) + ")\n")
	}
	return b.String()
}

var fuzzSeeds = []string{
	"IMG ?= controller:latest\ndeploy: kustomize\n\tcd config/manager && $(KUSTOMIZE) edit set image controller=${IMG}\n",
	"A = $(A)$(A)\nall:\n\techo $(A)\n",
	doubling(40) + "all:\n\techo $(A40)\n",
	"include Makefile\n",
	strings.Repeat("ifeq (a,a)\n", 100) + "X = 1\n" + strings.Repeat("endif\n", 100),
	"X := " + strings.Repeat("$(", 5000) + strings.Repeat(")", 5000) + "\n",
	"define f\n$(call f,$(1)$(1))\nendef\nall:\n\t$(call f,x)\n",
	"L = $(foreach i,a b c d e f g h,$(foreach j,a b c d e f g h,$(foreach k,a b c d e f g h,$(i)$(j)$(k))))\nall:\n\techo $(L)\n",
	"%.x: %.y ; cp $< $@\nall: a.x\nkind-%: V = $(@:kind-%=%)\n",
	"a b &: c | d\n\t@-+echo $^ $| $(@D) $(<F)\\\n\tmore\n.PHONY: a\n",
	"ifdef X\nelse ifeq ($(Y),)\nZ = 1\nelse\nZ = 2\nendif\nexport Z\nunexport W\noverride V := $(Z)\n",
	"x: y: z\n\t\n\\\n",
}

func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		start := time.Now()
		read := func(p string) (*File, error) { return Parse(p, []byte(src)), nil } // every include is itself
		m := Eval(Parse("/r/Makefile", []byte(src)), Config{Dir: "/r", Read: read,
			Vars: map[string]command.Word{"IMG": command.Dyn(0)}})
		for _, tg := range m.Targets() {
			rs, ok := m.Resolve(tg.Name, nil)
			if !ok {
				continue
			}
			for _, p := range rs.Prereqs {
				m.Resolve(p.String(), rs)
			}
		}
		if d := time.Since(start); d > 20*time.Second {
			t.Fatalf("took %v", d)
		}
	})
}

func FuzzExpand(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s, "$(A40) $(call f,x) $(L) $(IMG:%=%:v1)")
	}
	f.Fuzz(func(t *testing.T, defs, text string) {
		m := Eval(Parse("/r/Makefile", []byte(defs)), Config{Dir: "/r"})
		w := m.Expand(text)
		n := 0
		for _, p := range w {
			n += len(p.Text)
		}
		if n > 2*maxBytes {
			t.Fatalf("expansion of %d bytes", n)
		}
	})
}

func TestBounds(t *testing.T) {
	for name, src := range map[string]string{
		"doubling":  doubling(60) + "all:\n\techo $(A60)\n",
		"self call": "define f\n$(call f,$(1)$(1))\nendef\nall:\n\t$(call f,x)\n",
	} {
		start := time.Now()
		m := Eval(Parse("/r/Makefile", []byte(src)), Config{Dir: "/r"})
		rs, ok := m.Resolve("all", nil)
		if !ok {
			t.Errorf("%s: no rule", name)
			continue
		}
		if len(rs.Lines) == 0 || rs.Lines[0].Text.Known() {
			t.Errorf("%s: %v, want an Unknown part", name, rs.Lines)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("%s: took %v", name, d)
		}
	}
	f := Parse("Makefile", []byte("X = "+strings.Repeat("a", 2<<20)+"\nY = 1\n"))
	if len(f.Problems) != 1 || !strings.Contains(f.Problems[0].Msg, "longer than") || len(f.Nodes) != 1 {
		t.Errorf("a line over the bound: problems %v, nodes %d", f.Problems, len(f.Nodes))
	}
}
