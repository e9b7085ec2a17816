package describe

import "testing"

// The suite's setup builds and loads; the test deploys: one path.
func TestMain(m *testing.M) {
	build("localhost/suite:e2e")
	load("localhost/suite:e2e")
	m.Run()
}

func TestDeploy(t *testing.T) {
	deployApp("localhost/suite:e2e")
}
