// Package infra is the E2E image lifecycle the incident reports asked for:
// an image's tag is generated once, the image is built with it, loaded into
// Kind with it and deployed with it.
//
// Each failure mode the reports describe is hard to write with this API:
//
//   - A discarded build result (Dec 23: "_, err := BuildAndLoadImageToKind")
//     leaves nothing to deploy: the reference exists only inside the
//     returned [Image], and deploy functions take an Image, not a string.
//   - A hardcoded reference ("localhost/kubernaut-datastorage:e2e-test")
//     cannot reach a container spec: only [BuildAndLoadImageToKind] makes a
//     non-zero Image, and deploy functions reject the zero one.
//   - A tag generated again at deploy time (Dec 26, Gateway) cannot happen:
//     [GenerateInfraImageName] is called once, inside the build, and its
//     result reaches deploy functions only as the Image the build returns.
//   - Re-tagging a shared cached image inside the Kind node ("Phase 3.5")
//     is unnecessary: every consumer builds its own image under its own
//     tag, so parallel suites neither collide nor test stale code.
//
// The phases keep the reports' numbering: 0 generate the tag, 1 build,
// 3 load into Kind (2, creating the cluster, is the caller's), 4 deploy.
package infra
