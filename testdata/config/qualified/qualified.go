// Package qualified holds a producer configured by package path and
// receiver type: matched by identity, not by name.
package qualified

import (
	"fmt"
)

// Engine builds and loads images; which engine runs is decided at run time,
// so what Build does cannot be seen.
type Engine interface {
	BuildAndLoad(name string) (string, error)
}

type Builder struct{ Engine Engine }

// Build returns what the engine built and loaded: only configuration makes
// it a producer.
func (b *Builder) Build(name string) (string, error) {
	return b.Engine.BuildAndLoad(fmt.Sprintf("localhost/%s:e2e", name))
}

// Other has a Build method too, but it is not the configured one.
type Other struct{}

func (Other) Build(name string) (string, error) { return name, nil } // want Build:"r0:p0"
func setup(b *Builder, o Other) error {
	build := b.Build
	if _, err := build("gateway"); err != nil { // want `the image returned by Build is assigned to _`
		return err
	}
	_, err := o.Build("gateway")
	return err
}
