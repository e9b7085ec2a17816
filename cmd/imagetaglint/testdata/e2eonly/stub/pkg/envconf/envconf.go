// Package envconf stands in for e2e-framework's.
package envconf

type Config struct{ kubeconfig string }

func (c *Config) KubeconfigFile() string { return c.kubeconfig }
