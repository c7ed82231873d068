<?php
/**
 * Server-side sanitization of every attribute the block and the shortcode accept, driven by the
 * generated table: numbers are clamped to the parameter's range (integers rounded), enumerations
 * must be one of their values, text loses tags and line breaks, URLs must be http(s). Unknown
 * attributes and invalid values are dropped, so the element's own default (or the theme pack's
 * palette) applies.
 *
 * @package Vib3Embed
 */

defined( 'ABSPATH' ) || exit;

/**
 * Sanitizes raw attributes into the attributes the markup may carry.
 *
 * @param array  $raw Attributes as given: block attributes (keyed by parameter name, `gridDensity`)
 *                    or shortcode attributes (keyed by the element's attribute name, `grid-density`).
 * @param string $key `name` for block attributes, `attribute` for shortcode attributes.
 * @return array<string, string> Attribute name => sanitized value, in table order; only valid entries.
 */
function vib3_embed_sanitize_attributes( array $raw, $key = 'name' ) {
	$clean = array();
	foreach ( vib3_embed_entries() as $entry ) {
		if ( ! array_key_exists( $entry[ $key ], $raw ) ) {
			continue;
		}
		$value = vib3_embed_sanitize_value( $raw[ $entry[ $key ] ], $entry );
		if ( null !== $value ) {
			$clean[ $entry['attribute'] ] = $value;
		}
	}
	return $clean;
}

/**
 * Sanitizes one value for one table entry.
 *
 * @param mixed $value Raw value.
 * @param array $entry Table entry (`kind` float, int, enum, text or url).
 * @return string|null The value as the attribute's text, or null when it is invalid.
 */
function vib3_embed_sanitize_value( $value, array $entry ) {
	switch ( $entry['kind'] ) {
		case 'float':
		case 'int':
			return vib3_embed_sanitize_number( $value, $entry );
		case 'enum':
			return vib3_embed_sanitize_enum( $value, $entry['values'] );
		case 'text':
			return vib3_embed_sanitize_text( $value, (int) $entry['maxLength'] );
		case 'url':
			return vib3_embed_sanitize_url( $value );
	}
	return null;
}

/**
 * A finite number (or numeric string) clamped to [min, max]; integers rounded.
 *
 * @param mixed $value Raw value.
 * @param array $entry Table entry with `kind`, `min` and `max`.
 * @return string|null The number as text (`.` decimal separator, at most 6 decimals), or null.
 */
function vib3_embed_sanitize_number( $value, array $entry ) {
	if ( is_string( $value ) ) {
		$value = trim( $value );
	}
	if ( ! is_int( $value ) && ! is_float( $value ) && ! ( is_string( $value ) && is_numeric( $value ) ) ) {
		return null;
	}
	$number = (float) $value;
	if ( ! is_finite( $number ) ) {
		return null;
	}
	if ( 'int' === $entry['kind'] ) {
		$number = round( $number );
	}
	$number = max( (float) $entry['min'], min( (float) $entry['max'], $number ) );
	if ( 'int' === $entry['kind'] ) {
		return (string) (int) $number;
	}
	// %F ignores the locale: always a dot.
	$text = rtrim( rtrim( sprintf( '%.6F', $number ), '0' ), '.' );
	return '-0' === $text ? '0' : $text;
}

/**
 * One of the allowed values (case and surrounding space ignored).
 *
 * @param mixed    $value  Raw value.
 * @param string[] $values Allowed values.
 * @return string|null
 */
function vib3_embed_sanitize_enum( $value, array $values ) {
	if ( ! is_string( $value ) ) {
		return null;
	}
	$value = strtolower( trim( $value ) );
	return in_array( $value, $values, true ) ? $value : null;
}

/**
 * Plain text: character references decoded first (the visual editor stores `<` as `&lt;`), then
 * tags (with script and style content), line breaks and extra space removed, cut to `$max_length`
 * characters.
 *
 * @param mixed $value      Raw value.
 * @param int   $max_length Longest text kept.
 * @return string|null
 */
function vib3_embed_sanitize_text( $value, $max_length ) {
	if ( ! is_string( $value ) ) {
		return null;
	}
	return mb_substr( sanitize_text_field( vib3_embed_decode( $value ) ), 0, $max_length );
}

/**
 * An absolute http(s) URL or a path on the site (`/wp-content/…`); anything else (javascript:,
 * data:, a bare word) is dropped.
 *
 * @param mixed $value Raw value.
 * @return string|null
 */
function vib3_embed_sanitize_url( $value ) {
	if ( ! is_string( $value ) ) {
		return null;
	}
	$value = trim( vib3_embed_decode( $value ) );
	if ( ! preg_match( '#^(https?://|/(?!/))#i', $value ) ) {
		return null;
	}
	$url = esc_url_raw( $value, array( 'http', 'https' ) );
	return '' === $url ? null : $url;
}

/**
 * Decodes HTML character references (`&amp;`, `&lt;`, `&#8220;` …), as content editors store them.
 *
 * @param string $value Text.
 * @return string
 */
function vib3_embed_decode( $value ) {
	return html_entity_decode( $value, ENT_QUOTES | ENT_HTML5, 'UTF-8' );
}
