package command

import (
	"fmt"
	"slices"
	"strconv"

	"helm.sh/helm/v3/pkg/strvals"
)

var (
	helmGlobal = flags("kubeconfig kube-context n namespace registry-config repository-cache repository-config "+
		"kube-apiserver kube-as-user kube-as-group kube-ca-file kube-token kube-tls-server-name burst-limit qps "+
		"content-cache", "debug kube-insecure-skip-tls-verify", "color colour")
	helmInstall = flags("set set-string set-file set-json set-literal f values version repo username password ca-file "+
		"cert-file key-file keyring timeout post-renderer post-renderer-args description name-template l labels o "+
		"output history-max max-history a api-versions kube-version output-dir s show-only",
		"i install atomic create-namespace dependency-update devel disable-openapi-validation g generate-name no-hooks "+
			"pass-credentials plain-http insecure-skip-tls-verify render-subchart-notes replace skip-crds "+
			"skip-schema-validation verify wait-for-jobs enable-dns hide-notes take-ownership force reset-values "+
			"reuse-values reset-then-reuse-values cleanup-on-fail include-crds is-upgrade validate rollback-on-failure "+
			"release-name skip-tests hide-secret force-replace force-conflicts",
		"dry-run wait server-side").with(helmGlobal)
)

// helm recognises helm install, upgrade and template.
func (p *parser) helm(args []arg, c ctx) *output {
	g := helmGlobal.scan(args[1:], false)
	if g.unsure > 0 || len(g.rest) == 0 {
		return nil
	}
	sub, _ := g.rest[0].w.Literal()
	if sub != "install" && sub != "upgrade" && sub != "template" {
		return nil
	}
	s := helmInstall.scan(g.rest[1:], true)
	h := &HelmArgs{Installs: sub != "template" && !dryRun(&s)}
	pos := s.posWords()
	if s.unsure == 0 {
		switch {
		case len(pos) == 2:
			h.Release, h.Chart = pos[0], pos[1]
		case len(pos) == 1 && (sub == "template" || s.has("-g", "--generate-name")):
			h.Chart = pos[0]
		}
	}
	for _, f := range s.flags {
		h.Flag(f.name, f.value)
	}
	i := p.emit(Step{Kind: Helm, Tool: "helm " + sub, Helm: h}, c, args[0])
	if sub == "template" && c.out == nil {
		return &output{kind: outHelm, step: i}
	}
	return nil
}

// Flag adds what one values flag of helm install or upgrade gives:
// --set, --set-string, --set-literal, --set-json, --set-file or -f/--values.
// Other flags add nothing.
func (h *HelmArgs) Flag(name string, v Word) {
	switch name {
	case "--set":
		h.set(v, parseInto(strvals.ParseInto), false)
	case "--set-string":
		h.set(v, parseInto(strvals.ParseIntoString), true)
	case "--set-literal":
		h.set(v, strvals.ParseLiteral, true)
	case "--set-json":
		h.set(v, parseInto(strvals.ParseJSON), false)
	case "--set-file":
		h.Unparsed = append(h.Unparsed, v) // a value read from a file: anything
	case "-f", "--values":
		h.ValuesFiles = append(h.ValuesFiles, v.splitCommas()...)
	}
}

func parseInto(into func(string, map[string]any) error) func(string) (map[string]any, error) {
	return func(s string) (map[string]any, error) {
		m := map[string]any{}
		return m, into(s, m)
	}
}

// set adds the leaves of one --set flag, read by helm's own parser with
// placeholders for the run-time parts.
func (h *HelmArgs) set(v Word, parse func(string) (map[string]any, error), str bool) {
	ph := newPlaceholders(v)
	m, err := parse(ph.text)
	if err != nil {
		if len(ph.parts) > 0 {
			h.Unparsed = append(h.Unparsed, v) // a run-time part may make it valid
		}
		return // helm rejects the literal text: nothing is set
	}
	unparsed := false
	walkValues(m, nil, func(key []string, leaf any) {
		for _, k := range key {
			if ph.has(k) {
				unparsed = true
				return
			}
		}
		h.Sets = append(h.Sets, Set{Key: key, Value: leafValue(ph, leaf), String: str})
	})
	if unparsed {
		h.Unparsed = append(h.Unparsed, v)
	}
}

// walkValues calls leaf for each leaf of a values tree, map keys in order.
func walkValues(v any, key []string, leaf func([]string, any)) {
	switch v := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			walkValues(v[k], append(slices.Clip(key), k), leaf)
		}
	case []any:
		for i, e := range v {
			if e != nil {
				walkValues(e, append(slices.Clip(key), "["+strconv.Itoa(i)+"]"), leaf)
			}
		}
	default:
		if key != nil {
			leaf(key, v)
		}
	}
}

func leafValue(ph *placeholders, v any) Value {
	switch v := v.(type) {
	case string:
		return ph.restore(v)
	case nil:
		return Lit("null")
	}
	return Lit(fmt.Sprint(v))
}
