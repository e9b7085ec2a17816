// Package imageref parses container image references as written in code and
// manifests, and judges whether an image is local to a Kind cluster.
package imageref

import (
	"fmt"
	"strings"

	"github.com/distribution/reference"
)

// maxLen bounds a reference; real ones are far shorter, and the limit keeps
// prose and whole files out of the parser.
const maxLen = 512

// dockerHub is the registry distribution/reference assumes when none is
// written.
const dockerHub = "docker.io"

// Ref is an image reference parsed by github.com/distribution/reference.
type Ref struct {
	Raw       string // as written
	Domain    string // normalised registry host; "docker.io" when none is written
	Path      string // repository path; "library/" dropped on docker.io
	Tag       string // "" when none
	Digest    string // "" when none
	Qualified bool   // Raw names a registry host explicitly (localhost, a dot or a port)
}

// Parse parses one image reference. Text that is not one reference as
// written (it has whitespace, quotes, a printf verb, a template action, a
// shell variable or a URL scheme) fails with an error saying so, before the
// grammar is tried.
func Parse(s string) (Ref, error) {
	if err := notAReference(s); err != nil {
		return Ref{}, err
	}
	named, err := reference.ParseNormalizedNamed(s)
	if err != nil {
		return Ref{}, fmt.Errorf("image reference %q: %w", s, err)
	}
	r := Ref{Raw: s, Domain: reference.Domain(named), Path: reference.Path(named)}
	if r.Domain == "" {
		// The first component names a host ("my_registry.local/app")
		// but is not one in the grammar, which then takes it for a path.
		host, _, _ := strings.Cut(s, "/")
		return Ref{}, fmt.Errorf("image reference %q: invalid registry host %q", s, host)
	}
	// ParseNormalizedNamed puts docker.io in front of names written without
	// a host; index.docker.io is its older spelling.
	r.Qualified = r.Domain != dockerHub || strings.HasPrefix(s, "docker.io/") || strings.HasPrefix(s, "index.docker.io/")
	if r.Domain == dockerHub {
		r.Path = strings.TrimPrefix(r.Path, "library/")
	}
	if t, ok := named.(reference.Tagged); ok {
		r.Tag = t.Tag()
	}
	if d, ok := named.(reference.Digested); ok {
		r.Digest = d.Digest().String()
	}
	return r, nil
}

// notAReference explains why s cannot be a single reference written out, or
// returns nil.
func notAReference(s string) error {
	why := ""
	switch {
	case s == "":
		why = "is empty"
	case len(s) > maxLen:
		return fmt.Errorf("image reference of %d bytes: longer than %d", len(s), maxLen)
	// Placeholders first: they say most about where the text came from.
	case strings.Contains(s, "{{"):
		why = "contains a template action"
	case strings.Contains(s, "%"):
		why = "contains a printf verb"
	case strings.Contains(s, "$"):
		why = "contains a shell variable"
	case strings.Contains(s, "://"):
		why = "is a URL"
	case strings.ContainsAny(s, " \t\r\n\v\f"):
		why = "contains whitespace"
	case strings.ContainsAny(s, "\"'`"):
		why = "contains a quote"
	default:
		return nil
	}
	return fmt.Errorf("image reference %q %s", s, why)
}

// Candidate reports whether s, found in code, names an image rather than a
// container, service, namespace or file: it parses and carries a tag, a
// digest, or an explicit registry host with a path. A bare "nginx" is more
// often a container or service name than an image.
func Candidate(s string) (Ref, bool) {
	r, err := Parse(s)
	if err != nil {
		return Ref{}, false
	}
	return r, r.Candidate()
}

// Candidate reports whether r looks like an image reference rather than a
// bare name: it has a tag, a digest or an explicit registry host.
func (r Ref) Candidate() bool { return r.Tag != "" || r.Digest != "" || r.Qualified }

// EffectiveTag is the tag a runtime pulls: "latest" when neither a tag nor a
// digest is written, "" for a digest alone.
func (r Ref) EffectiveTag() string {
	if r.Tag == "" && r.Digest == "" {
		return "latest"
	}
	return r.Tag
}

// Same reports whether a and b name the same image once loaded into Kind,
// however the registry host is spelled: "localhost/ds:t" and "ds:t" are one
// image there, as are "docker.io/library/x" and "x". A digest must match
// when either side has one.
func Same(a, b Ref) bool {
	return a.Path == b.Path && a.EffectiveTag() == b.EffectiveTag() && a.Digest == b.Digest
}

// SimilarRepository reports whether two different repository paths look
// like two spellings of one image: "kubernaut-holmesgpt-api" and
// "holmesgpt-api", or "kubernaut/datastorage" and "kubernaut-datastorage".
func SimilarRepository(a, b string) bool {
	if a == b {
		return false
	}
	la, lb := lastElem(a), lastElem(b)
	na, nb := separators.Replace(a), separators.Replace(b)
	return la == lb || hyphenSuffix(la, lb) || na == nb || hyphenSuffix(na, nb)
}

var separators = strings.NewReplacer("/", "-", "_", "-")

// hyphenSuffix reports whether either ends with "-" and the other.
func hyphenSuffix(a, b string) bool {
	return strings.HasSuffix(a, "-"+b) || strings.HasSuffix(b, "-"+a)
}

func lastElem(p string) string { return p[strings.LastIndexByte(p, '/')+1:] }
