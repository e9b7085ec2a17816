# Sourced by the other scripts.
KIND=${KIND:-kind}

load_image() {
  "$KIND" load docker-image "$1"
}
