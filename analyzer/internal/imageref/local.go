package imageref

import (
	_ "embed"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

//go:generate go run -C genofficial . -o ../official.txt

// DefaultLocalPattern matches references in a registry that only the local
// machine or the Kind cluster serves.
const DefaultLocalPattern = `^(localhost(:[0-9]+)?|kind\.local|ko\.local)/`

var defaultLocal = regexp.MustCompile(DefaultLocalPattern)

// Policy decides which images are local: built on this machine and loaded
// into Kind, never pulled from a registry. The analyzer builds it from its
// configuration; the zero Policy applies the defaults.
type Policy struct {
	LocalPattern     *regexp.Regexp // references in a local registry; nil = DefaultLocalPattern
	Official         []string       // extra single-name repositories users declare pullable
	NoUnofficialRule bool           // users may switch the unqualified-name rule off
}

// Reason tells why an image is local.
type Reason int

const (
	_             Reason = iota // not local
	LocalRegistry               // the reference names a local registry
	NeverPulled                 // pull policy Never and no public registry named
	NotOfficial                 // an unqualified name that Docker Hub does not serve
)

func (r Reason) String() string {
	switch r {
	case LocalRegistry:
		return "local registry"
	case NeverPulled:
		return "pull policy Never"
	case NotOfficial:
		return "not an official image"
	}
	return fmt.Sprintf("Reason(%d)", int(r))
}

// Local reports whether the image r, deployed with pull policy Never when
// pullNever holds, is local, and why. Precision first: an image is local
// only when it cannot be pulled as written.
func (p Policy) Local(r Ref, pullNever bool) (Reason, bool) {
	local := p.LocalPattern
	if local == nil {
		local = defaultLocal
	}
	if local.MatchString(r.Raw) {
		return LocalRegistry, true
	}
	// A single name without a host is Docker Hub's library/ namespace,
	// which holds only the official images.
	unqualifiedName := !r.Qualified && !strings.Contains(r.Path, "/")
	official := unqualifiedName && (IsOfficial(r.Path) || slices.Contains(p.Official, r.Path))
	// A public host written out, or an official image, may well have been
	// pulled and preloaded by a script: Never alone does not make it local.
	publicHost := r.Qualified && strings.ContainsAny(r.Domain, ".:")
	if pullNever && !publicHost && !official {
		return NeverPulled, true
	}
	if unqualifiedName && !official && !p.NoUnofficialRule {
		return NotOfficial, true
	}
	return 0, false
}

// officialList is the list of Docker official images, one a line, "#"
// starting a comment line.
//
//go:embed official.txt
var officialList string

var official = parseList(officialList)

func parseList(text string) []string {
	var names []string
	for line := range strings.Lines(text) {
		line = strings.TrimSpace(line)
		if line != "" && !strings.HasPrefix(line, "#") {
			names = append(names, line)
		}
	}
	return names
}

// IsOfficial reports whether repo, a Docker Hub repository path as in
// Ref.Path, is a Docker official image ("redis", "postgres").
func IsOfficial(repo string) bool {
	_, found := slices.BinarySearch(official, repo)
	return found
}

// Reserved reports whether domain is reserved for examples and tests (RFC
// 2606, RFC 6761): no registry answers there, so an image named on it is
// only ever on the machine that built it. Scaffolds default to
// example.com/<project>:v0.0.1.
func Reserved(domain string) bool {
	host := strings.ToLower(domain)
	if i := strings.LastIndexByte(host, ':'); i >= 0 {
		host = host[:i]
	}
	for _, d := range []string{"example.com", "example.net", "example.org"} {
		if host == d || strings.HasSuffix(host, "."+d) {
			return true
		}
	}
	tld := host[strings.LastIndexByte(host, '.')+1:]
	return strings.Contains(host, ".") && (tld == "example" || tld == "test" || tld == "invalid")
}
