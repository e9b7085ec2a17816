// Package afirst declares two mutually recursive helpers, the one that
// deploys first: both deploy their parameter, whatever the order (bfirst
// declares them the other way round and exports the same facts).
package afirst

import "os/exec"

// Deploy applies the image, or hands it to Retry on the first attempt.
func Deploy(image string, attempt int) error { // want Deploy:"p0:deploy deploys$"
	if attempt == 0 {
		return Retry(image, attempt+1)
	}
	return exec.Command("kubectl", "set", "image", "deployment/app", "app="+image).Run()
}

// Retry calls Deploy again: it deploys its parameter through it.
func Retry(image string, attempt int) error { // want Retry:"p0:deploy deploys$"
	return Deploy(image, attempt)
}
