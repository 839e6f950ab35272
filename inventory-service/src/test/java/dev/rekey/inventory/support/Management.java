package dev.rekey.inventory.support;

import io.quarkus.test.common.http.TestHTTPResourceManager;
import io.restassured.specification.RequestSpecification;

import java.net.URI;

import static io.restassured.RestAssured.given;

/** Requests to the service's management interface (health, metrics, OpenAPI), which is not the API's port. */
public final class Management {

    private Management() {
    }

    /** A request to the management interface; paths start with {@code /q/}. */
    public static RequestSpecification management() {
        URI uri = URI.create(TestHTTPResourceManager.getManagementUri());
        return given().baseUri(uri.getScheme() + "://" + uri.getHost()).port(uri.getPort());
    }
}
