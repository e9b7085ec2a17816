module example.com/e2eonly

go 1.22

require sigs.k8s.io/e2e-framework v0.0.0

replace sigs.k8s.io/e2e-framework => ./stub
