package infra

import (
	"crypto/rand"
	"encoding/hex"
	"regexp"
	"strings"
)

const (
	// registryHost marks the image as local: Kind runs it from the node's
	// image store and never pulls it.
	registryHost = "localhost"
	// maxNameLen is the distribution grammar's limit for host and path.
	maxNameLen = 255
	// maxTagLen is the distribution grammar's limit for a tag.
	maxTagLen = 128
	// randomBytes make the tag unique per call; hex doubles their length.
	randomBytes = 8
)

// GenerateInfraImageName returns a fresh reference
// "localhost/<infrastructure>:<consumer>-<random>" for one build.
//
// Every call returns a different reference (the suffix comes from
// crypto/rand, not the clock, so calls in the same nanosecond differ too).
// It belongs inside the build, called once per image before the build
// command (phase 0), and nowhere else: [Builder.BuildAndLoad] and
// [BuildAndLoadImageToKind] call it for you. Called again at deploy time
// it names an image that was never built (Dec 26 audit); imagetaglint
// reports that as deploy-time-tag and regenerated-tag. Only a build of your
// own needs it, and that build must build, load and deploy its one result.
//
// The inputs are made to fit the reference grammar: lowercased, runs of
// other characters replaced by "-", separators trimmed at the ends, "/"
// kept between repository path components; an empty infrastructure becomes
// "image". The consumer is truncated so that the tag fits 128 characters.
func GenerateInfraImageName(infrastructure, consumer string) string {
	var b [randomBytes]byte
	rand.Read(b[:]) // never fails: it crashes the program instead
	suffix := hex.EncodeToString(b[:])

	var path []string
	for _, c := range strings.Split(infrastructure, "/") {
		if c = component(c, maxNameLen); c != "" {
			path = append(path, c)
		}
	}
	repo := strings.Join(path, "/")
	if repo == "" {
		repo = "image"
	}
	if limit := maxNameLen - len(registryHost) - 1; len(repo) > limit {
		repo = strings.TrimRight(repo[:limit], "._-/")
	}

	tag := suffix
	if c := component(consumer, maxTagLen-len(suffix)-1); c != "" {
		tag = c + "-" + suffix
	}
	return registryHost + "/" + repo + ":" + tag
}

var nonAlnum = regexp.MustCompile(`[^a-z0-9]+`)

// component lowercases s and makes it a repository path component, which
// is also a valid tag: alphanumerics joined by ".", "_", "__" or runs of
// "-". It is at most limit bytes long.
func component(s string, limit int) string {
	s = nonAlnum.ReplaceAllStringFunc(strings.ToLower(s), func(sep string) string {
		if sep == "." || sep == "_" || sep == "__" || strings.Trim(sep, "-") == "" {
			return sep
		}
		return "-"
	})
	s = strings.Trim(s, "._-")
	if len(s) > limit {
		s = strings.TrimRight(s[:limit], "._-")
	}
	return s
}
