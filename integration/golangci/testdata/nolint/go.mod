module imagetaglint.test/nolint

go 1.22

require (
	k8s.io/api v0.0.0
	k8s.io/apimachinery v0.0.0
)

replace (
	k8s.io/api => ../../../../testdata/stubs/k8s.io/api
	k8s.io/apimachinery => ../../../../testdata/stubs/k8s.io/apimachinery
)
