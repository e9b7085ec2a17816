package analyzer

import (
	"go/ast"
	"go/token"
	"slices"
)

// A subject is what a finding is about: a step, by the call or position it
// is at (a generator call, for the tag it makes), and the image of that
// step it concerns. Check files say what their findings are about; only
// the table below says which check's finding wins.
type subject struct {
	at    token.Pos
	image value
}

// same reports whether s and t are one step's one image.
func (s subject) same(t subject) bool { return s.at == t.at && sameImage(s.image, t.image) }

// precedence says, for each check, whose findings its reported findings
// drop: those about the subject it is about or one it explains. Each check
// outranks those it drops (TestPrecedence).
var precedence = map[string][]string{
	CheckDiscardedImage:    {CheckUndeployedImage},
	CheckDeployTimeTag:     {CheckRegeneratedTag, CheckImageMismatch, CheckUndeployedImage},
	CheckIgnoredImageParam: {CheckHardcodedImage, CheckImageMismatch, CheckUndeployedImage},
	CheckRegeneratedTag:    {CheckImageMismatch, CheckUndeployedImage},
	CheckRetagAfterLoad:    {CheckUndeployedImage},
	CheckUnknownChartValue: {CheckImageMismatch, CheckUndeployedImage},
	CheckImageMismatch:     {CheckHardcodedImage, CheckPublishedImage, CheckUndeployedImage},
	CheckPublishedImage:    {CheckUndeployedImage},
}

// drops reports whether the reported finding by makes f redundant.
func (by *finding) drops(f *finding) bool {
	if !slices.Contains(precedence[by.check], f.check) {
		return false
	}
	return f.subject.same(by.subject) || slices.ContainsFunc(by.explains, f.subject.same)
}

// buildsAndLoads returns the images of the build and load steps among
// steps that handle v under any of its host names, or every image of every
// build and load step when v is unknown: what a finding that says why v
// was not deployed explains.
func buildsAndLoads(steps []step, v value) []subject {
	var out []subject
	names := hostNames(steps, v)
	for _, st := range steps {
		if st.kind != stepBuild && st.kind != stepLoad {
			continue
		}
		for _, w := range st.images {
			if !v.known() || slices.ContainsFunc(names, func(n value) bool { return sameImage(n, w) }) {
				out = append(out, subject{st.at.Pos(), w})
			}
		}
	}
	return out
}

// buildsAndLoadsAt returns the images of the build and load steps at n.
func buildsAndLoadsAt(steps []step, n ast.Node) []subject {
	var out []subject
	for _, st := range steps {
		if st.at == n && (st.kind == stepBuild || st.kind == stepLoad) {
			for _, w := range st.images {
				out = append(out, subject{st.at.Pos(), w})
			}
		}
	}
	return out
}
