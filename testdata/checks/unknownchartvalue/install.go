// Package unknownchartvalue holds unknown-chart-value cases: a helm
// install sets an image through a key its chart does not have.
package unknownchartvalue

import (
	"io"
	"os/exec"

	"imagetaglint.test/e2e/kit"
)

const repository = "localhost/operator"

// The chart keeps its image under controller.image: helm ignores
// image.repository and the chart's default image runs.
func setupUnknownKey(cluster string, w io.Writer) error {
	if err := kit.Build(repository+":e2e", w); err != nil {
		return err
	}
	if err := kit.Load(cluster, repository+":e2e", w); err != nil {
		return err
	}
	return exec.Command("helm", "install", "operator", "./chart", "--set", "image.repository="+repository, "--set", "controller.image.tag=e2e").Run() // want `helm install sets image\.repository, which chart "\./chart" does not have: helm ignores it and the chart's default image runs; set the key the chart reads \[unknown-chart-value\]`
}

// Negative: the keys the chart reads.
func setupKnownKeys(cluster string, w io.Writer) error {
	if err := kit.Build(repository+":e2e", w); err != nil {
		return err
	}
	if err := kit.Load(cluster, repository+":e2e", w); err != nil {
		return err
	}
	return exec.Command("helm", "install", "operator", "./chart", "--set", "controller.image.repository="+repository, "--set", "controller.image.tag=e2e").Run()
}
