package dev.rekey.inventory.persistence;

import dev.rekey.events.EventJson;
import io.quarkus.hibernate.orm.JsonFormat;
import io.quarkus.hibernate.orm.PersistenceUnitExtension;
import jakarta.inject.Singleton;
import org.hibernate.type.descriptor.WrapperOptions;
import org.hibernate.type.descriptor.java.JavaType;
import org.hibernate.type.format.FormatMapper;
import org.hibernate.type.format.jackson.JacksonJsonFormatMapper;

/**
 * JSON columns (a breach's selector) are written with the event contract's mapping, {@link EventJson}, so that the
 * stored selector reads exactly like the one in {@code breach-reported}, whatever the REST layer's Jackson settings.
 */
@JsonFormat
@PersistenceUnitExtension
@Singleton
public class EventJsonColumns implements FormatMapper {

    private final FormatMapper delegate = new JacksonJsonFormatMapper(EventJson.mapper());

    @Override
    public <T> T fromString(CharSequence json, JavaType<T> javaType, WrapperOptions options) {
        return delegate.fromString(json, javaType, options);
    }

    @Override
    public <T> String toString(T value, JavaType<T> javaType, WrapperOptions options) {
        return delegate.toString(value, javaType, options);
    }
}
