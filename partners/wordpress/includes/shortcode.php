<?php
/**
 * The `[vib3 …]` shortcode: the element's attribute names (`[vib3 system="holographic"
 * geometry="9" hue="280" grid-density="30" theme="acme"]`), sanitized like the block's.
 *
 * @package Vib3Embed
 */

defined( 'ABSPATH' ) || exit;

/** Registers `[vib3]`. */
function vib3_embed_register_shortcode() {
	add_shortcode( 'vib3', 'vib3_embed_render_shortcode' );
}

/**
 * Shortcode callback. Attributes outside the table are ignored (`shortcode_atts`, so the
 * `shortcode_atts_vib3` filter applies); the rest are sanitized.
 *
 * @param array|string $atts Shortcode attributes ('' when none).
 * @return string HTML.
 */
function vib3_embed_render_shortcode( $atts ) {
	$known = array();
	foreach ( vib3_embed_entries() as $entry ) {
		$known[ $entry['attribute'] ] = null;
	}
	$given = array_filter(
		shortcode_atts( $known, is_array( $atts ) ? $atts : array(), 'vib3' ),
		function ( $value ) {
			return null !== $value;
		}
	);
	$clean = vib3_embed_sanitize_attributes( $given, 'attribute' );
	vib3_embed_enqueue_front();
	return sprintf( '<div class="%1$s">%2$s</div>', esc_attr( vib3_embed_wrapper_class( $clean ) ), vib3_embed_element_html( $clean ) );
}
