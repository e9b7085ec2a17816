package infra

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"slices"
)

// engineNames are the engines Builder knows, in the order it looks for
// them: podman first, since it needs no daemon.
var engineNames = []string{"podman", "docker", "nerdctl"}

// engine is a container engine command.
type engine struct {
	path string // what to run, e.g. "podman" or "/usr/bin/podman"
	name string // one of engineNames
}

// findEngine returns the configured engine, or the first one on PATH.
func findEngine(configured string) (engine, error) {
	if configured != "" {
		name := filepath.Base(configured)
		if !slices.Contains(engineNames, name) {
			return engine{}, fmt.Errorf("infra: engine %q is not podman, docker or nerdctl", configured)
		}
		return engine{path: configured, name: name}, nil
	}
	for _, name := range engineNames {
		if _, err := exec.LookPath(name); err == nil {
			return engine{path: name, name: name}, nil
		}
	}
	return engine{}, fmt.Errorf("infra: none of podman, docker or nerdctl is on PATH; set Builder.Engine")
}

// archives reports whether Kind needs the engine's images saved to an
// archive: "kind load docker-image" reads images from docker only.
func (e engine) archives() bool { return e.name != "docker" }
