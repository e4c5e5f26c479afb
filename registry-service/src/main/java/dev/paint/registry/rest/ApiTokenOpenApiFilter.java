package dev.paint.registry.rest;

import java.util.Map;
import java.util.TreeMap;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * Documents the API token on every operation that {@link ApiTokenFilter} guards by default. Each operation whose HTTP
 * method is not a read gets the {@code apiToken} security requirement and the shared 401 response. Both come from the
 * filter's own list of read methods, so the document follows the check and no endpoint repeats the two annotations.
 * Registered with {@code mp.openapi.filter} in application.properties.
 *
 * <p>NOTE: Quarkus builds the document at build time, so it shows reads as open even when an operator sets {@code
 * paint.registry.reads-require-token=true}; those reads then also return 401.
 */
public class ApiTokenOpenApiFilter implements OASFilter {

  private static final String UNAUTHORIZED_CODE = "401";

  @Override
  public PathItem filterPathItem(PathItem pathItem) {
    for (Map.Entry<PathItem.HttpMethod, Operation> entry : pathItem.getOperations().entrySet()) {
      if (!ApiTokenFilter.READ_METHODS.contains(entry.getKey().name())) {
        requireToken(entry.getValue());
      }
    }
    return pathItem;
  }

  private static void requireToken(Operation operation) {
    operation.addSecurityRequirement(OASFactory.createSecurityRequirement().addScheme(ModelResource.API_TOKEN));

    APIResponses responses = operation.getResponses();
    APIResponse unauthorized = OASFactory.createAPIResponse().ref(ModelResource.UNAUTHORIZED);
    // Sorted by status code, so that 401 appears between 400 and 404 in the document.
    Map<String, APIResponse> byCode = new TreeMap<>(responses.getAPIResponses());
    byCode.put(UNAUTHORIZED_CODE, unauthorized);
    responses.setAPIResponses(byCode);
  }
}
