// Package utils reads the proxy's tag the workflow sets.
package utils

import "os"

// ProxyTag is the tag of the proxy image under test.
func ProxyTag() string { return os.Getenv("E2E_PROXY_IMAGE_TAG") }
