package lib.images

# The tag of an image reference; "latest" when none is given. A digest-pinned image has no tag.
tag(image) := t {
	not contains(image, "@")
	name := last_segment(image)
	contains(name, ":")
	parts := split(name, ":")
	t := parts[count(parts) - 1]
}

tag(image) := "latest" {
	not contains(image, "@")
	not contains(last_segment(image), ":")
}

last_segment(image) := s {
	segments := split(image, "/")
	s := segments[count(segments) - 1]
}
