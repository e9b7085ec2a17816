// Package qualified holds a producer configured by package path and
// receiver type: matched by identity, not by name.
package qualified

import (
	"fmt"
	"os/exec"
)

type Builder struct{ Cluster string }

// Build builds and loads by itself: only configuration makes it a producer.
func (b *Builder) Build(name string) (string, error) {
	ref := fmt.Sprintf("localhost/%s:e2e", name)
	return ref, exec.Command("kind", "load", "docker-image", ref, "--name", b.Cluster).Run()
}

// Other has a Build method too, but it is not the configured one.
type Other struct{}

func (Other) Build(name string) (string, error) { return name, nil }

func setup(b *Builder, o Other) error {
	build := b.Build
	if _, err := build("gateway"); err != nil { // want `the image returned by Build is assigned to _`
		return err
	}
	_, err := o.Build("gateway")
	return err
}
