package analyzer

import (
	"strings"

	"github.com/distribution/reference"
)

// imageRef is a parsed container image reference.
type imageRef struct {
	raw    string
	domain string // "localhost", "docker.io", "quay.io", ...
	path   string // repository path without domain ("library/" dropped)
	tag    string
}

// parseImageRef parses s with the distribution reference grammar. Strings
// that are not a single reference (spaces, placeholders, URLs) fail.
func parseImageRef(s string) (imageRef, bool) {
	if s == "" || len(s) > 512 || strings.ContainsAny(s, " \t\n\"'`{}%$") || strings.Contains(s, "://") {
		return imageRef{}, false
	}
	named, err := reference.ParseNormalizedNamed(s)
	if err != nil {
		return imageRef{}, false
	}
	r := imageRef{raw: s, domain: reference.Domain(named), path: reference.Path(named)}
	if r.domain == "docker.io" {
		r.path = strings.TrimPrefix(r.path, "library/")
	}
	if t, ok := named.(reference.Tagged); ok {
		r.tag = t.Tag()
	}
	return r, true
}

// effectiveTag is the tag a runtime uses: "latest" when none is written.
func (r imageRef) effectiveTag() string {
	if r.tag == "" {
		return "latest"
	}
	return r.tag
}

// looksLikeImage reports whether a constant string is plausibly an image
// reference rather than a name, namespace or path: it parses and carries a
// tag or an explicit registry host.
func looksLikeImage(s string) (imageRef, bool) {
	r, ok := parseImageRef(s)
	if !ok {
		return r, false
	}
	explicitHost := strings.Contains(s, "/") && r.domain != "docker.io"
	return r, r.tag != "" || explicitHost
}

// sameImage compares two references ignoring how the registry host was
// spelled: "localhost/ds:t" and "ds:t" name the same image once loaded into
// Kind, as do "docker.io/library/x" and "x".
func sameImage(a, b imageRef) bool {
	return a.path == b.path && a.effectiveTag() == b.effectiveTag()
}

// similarRepository reports whether two different repositories look like
// two spellings of one image: "kubernaut-holmesgpt-api" and "holmesgpt-api",
// or "kubernaut/datastorage" and "kubernaut-datastorage".
func similarRepository(a, b string) bool {
	if a == b {
		return false
	}
	la, lb := lastPathElem(a), lastPathElem(b)
	norm := func(s string) string { return strings.NewReplacer("/", "-", "_", "-").Replace(s) }
	return la == lb ||
		strings.HasSuffix(la, "-"+lb) || strings.HasSuffix(lb, "-"+la) ||
		norm(a) == norm(b) || strings.HasSuffix(norm(a), "-"+norm(b)) || strings.HasSuffix(norm(b), "-"+norm(a))
}

func lastPathElem(p string) string { return p[strings.LastIndex(p, "/")+1:] }
