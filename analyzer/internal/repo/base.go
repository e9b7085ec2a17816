package repo

import (
	"path/filepath"
	"slices"
	"strings"

	"github.com/imagetaglint/imagetaglint/analyzer/internal/command"
	"github.com/imagetaglint/imagetaglint/analyzer/internal/dockerfile"
	"github.com/imagetaglint/imagetaglint/analyzer/internal/imageref"
)

// BaseImage is an image a Dockerfile of the repository builds from (FROM,
// COPY --from): another project's image, pulled by the build.
type BaseImage struct {
	Ref  string // with the ARG defaults expanded
	From string // as written
	// Unknown are the ARGs Ref depends on that the file does not give.
	Unknown []string
	Pos     Pos
}

// BaseImages returns the base images of the Dockerfiles (Dockerfile*,
// Containerfile*, *.Dockerfile) at the module and repository roots and in
// the build contexts of the repository's own images.
func (m *Model) BaseImages() []BaseImage {
	m.mu.Lock()
	if m.baseDone {
		defer m.mu.Unlock()
		return slices.Clone(m.bases)
	}
	m.mu.Unlock()
	dirs := []string{m.ModuleRoot, m.RepoRoot}
	for _, o := range m.OwnImages() {
		if o.Context != "" {
			dirs = append(dirs, o.Context)
		}
	}
	slices.Sort(dirs)
	var bases []BaseImage
	for _, dir := range slices.Compact(dirs) {
		for _, e := range m.list(dir) {
			if !e.Type().IsRegular() || !isDockerfile(e.Name()) {
				continue
			}
			path := filepath.Join(dir, e.Name())
			data, err := m.read(path)
			if err != nil {
				m.problem(Problem{Pos{path, 1, 0}, err.Error()})
				continue
			}
			d, err := dockerfile.Parse(data)
			if err != nil {
				m.problem(Problem{Pos{path, 1, 0}, err.Error()})
				continue
			}
			for _, b := range d.BaseImages() {
				bases = append(bases, BaseImage{Ref: b.Ref, From: b.From, Unknown: b.Unknown, Pos: Pos{path, b.Line, 0}})
			}
		}
	}
	m.mu.Lock()
	m.bases, m.baseDone = bases, true
	m.mu.Unlock()
	return slices.Clone(bases)
}

func isDockerfile(name string) bool {
	return strings.HasPrefix(name, "Dockerfile") || strings.HasPrefix(name, "Containerfile") ||
		strings.HasSuffix(name, ".Dockerfile")
}

// IsBase reports whether a reference names the repository of a base image
// the repository's Dockerfiles build from: another project's image.
func (m *Model) IsBase(ref string) bool {
	r, err := imageref.Parse(ref)
	if err != nil {
		return false
	}
	for _, b := range m.BaseImages() {
		if len(b.Unknown) > 0 {
			continue
		}
		if br, err := imageref.Parse(b.Ref); err == nil && br.Domain == r.Domain && br.Path == r.Path {
			return true
		}
	}
	return false
}

// context returns the absolute build context of a build step, "" when
// not known.
func context(s Step) string {
	if len(s.Paths) == 0 || s.Dir == "" {
		return ""
	}
	p, ok := s.Paths[0].Literal()
	if !ok || strings.Contains(p, "://") {
		return ""
	}
	return stepDir(s.Dir, command.Lit(p))
}
