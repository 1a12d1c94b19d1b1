/* The interactive OpenAPI page, from the vendored Swagger UI. */
(function () {
  "use strict";
  var node = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: node.getAttribute("data-spec"),
    domNode: node,
    deepLinking: false,
    validatorUrl: null,  // Swagger UI would otherwise ask an online validator about the spec
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    defaultModelsExpandDepth: 0
  });
})();
