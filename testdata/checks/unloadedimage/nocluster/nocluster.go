// Package nocluster: nothing shows that the cluster does not see the
// host's images (minikube's docker-env, Docker Desktop and Podman's
// Kubernetes run what the host built): no finding.
package nocluster

import "os/exec"

func Setup() error { // want Setup:"build\(\"localhost/kubernaut/gateway:e2e\"\) deploy\(\"localhost/kubernaut/gateway:e2e\"\) deploys$" // want Setup:"build\\(\"localhost/kubernaut/gateway:e2e\"\\) deploy\\(\"localhost/kubernaut/gateway:e2e\"\\) deploys$"
	const image = "localhost/kubernaut/gateway:e2e"
	if err := exec.Command("docker", "build", "-t", image, ".").Run(); err != nil {
		return err
	}
	return exec.Command("kubectl", "run", "gateway", "--image="+image, "--image-pull-policy=Never").Run()
}
