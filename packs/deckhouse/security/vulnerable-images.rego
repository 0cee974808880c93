package d8.vulnerableimages

import data.lib.deckhouse

pod := deckhouse.pod(input.review.object)

# The images of the Pod's containers and init containers, which the Trivy provider scans.
images contains c.image if {
	some c in array.concat(object.get(pod, ["spec", "containers"], []), object.get(pod, ["spec", "initContainers"], []))
}

# The Trivy provider's answer through Gatekeeper external data; with isTest, the answer mocked in the
# inventory.
response := data.inventory.namespace[input.review.namespace]["deckhouse.io/v1alpha1"].ExternalDataInventory["default"].spec.providers["trivy-provider"] if {
	input.parameters.isTest == true
} else := external_data({"provider": "trivy-provider", "keys": [image | some image in images]}) if {
	not input.parameters.isTest == true
}

violation contains {"msg": msg} if {
	count(images) > 0
	object.get(response, "system_error", "") != ""
	msg := sprintf("System error calling external data provider: %s", [response.system_error])
}

# The provider reports an image it refuses (vulnerabilities of a severity it does not allow) as an
# error for that image.
violation contains {"msg": msg} if {
	count(images) > 0
	count(object.get(response, "errors", [])) > 0
	msg := sprintf("Vulnerable images are not allowed: %v", [response.errors])
}
