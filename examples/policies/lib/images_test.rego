package lib.images_test

import data.lib.images

test_tag_of_plain_image {
	images.tag("nginx:1.27") == "1.27"
}

test_tag_defaults_to_latest {
	images.tag("registry.example.com:5000/team/app") == "latest"
}

test_digest_pinned_image_has_no_tag {
	not images.tag("nginx@sha256:0123456789abcdef")
}
