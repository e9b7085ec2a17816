// Package helm stands in for e2e-framework's helm manager.
package helm

type Opts struct{}

type Option func(*Opts)

type Manager struct{}

func New(kubeConfig string) *Manager { return &Manager{} }

func (m *Manager) RunInstall(opts ...Option) error { return nil }

func WithName(name string) Option    { return nil }
func WithChart(chart string) Option  { return nil }
func WithArgs(args ...string) Option { return nil }
