<?php
/**
 * The markup of one visual: `<vib3-canvas>` with the sanitized attributes (escaped on output) and
 * its fallback text, and the wrapper's classes.
 *
 * @package Vib3Embed
 */

defined( 'ABSPATH' ) || exit;

/**
 * The `<vib3-canvas>` element for sanitized attributes.
 *
 * @param array<string, string> $clean Output of vib3_embed_sanitize_attributes().
 * @return string HTML.
 */
function vib3_embed_element_html( array $clean ) {
	$attributes = '';
	foreach ( vib3_embed_entries() as $entry ) {
		$name = $entry['attribute'];
		if ( 'element' !== $entry['target'] || ! isset( $clean[ $name ] ) ) {
			continue;
		}
		$value       = 'url' === $entry['kind'] ? esc_url( $clean[ $name ], array( 'http', 'https' ) ) : esc_attr( $clean[ $name ] );
		$attributes .= sprintf( ' %s="%s"', esc_attr( $name ), $value );
	}
	return sprintf(
		'<vib3-canvas%1$s><p slot="fallback">%2$s</p></vib3-canvas>',
		$attributes,
		esc_html__( 'This browser cannot show the live visual.', 'vib3-embed' )
	);
}

/**
 * The wrapper's classes: `vib3-embed` and the aspect ratio's modifier (`vib3-embed--16-9`).
 *
 * @param array<string, string> $clean Output of vib3_embed_sanitize_attributes().
 * @return string Class list (not escaped).
 */
function vib3_embed_wrapper_class( array $clean ) {
	$aspect = '16:9';
	foreach ( vib3_embed_entries() as $entry ) {
		if ( 'aspect' === $entry['name'] ) {
			$aspect = isset( $clean['aspect'] ) ? $clean['aspect'] : $entry['default'];
		}
	}
	return 'vib3-embed vib3-embed--' . str_replace( ':', '-', $aspect );
}
