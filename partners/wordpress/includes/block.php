<?php
/**
 * The `vib3/canvas` block: registered from block.json (generated from the kit's parameter table)
 * and rendered on the server, so the front end gets sanitized, escaped markup whatever the saved
 * attributes say.
 *
 * @package Vib3Embed
 */

defined( 'ABSPATH' ) || exit;

/** Registers the block from the plugin folder's block.json with the server-side render callback. */
function vib3_embed_register_block() {
	register_block_type( dirname( VIB3_EMBED_FILE ), array( 'render_callback' => 'vib3_embed_render_block' ) );
}

/**
 * Render callback of the block.
 *
 * @param array $attributes Block attributes (keyed by VIB3 parameter name).
 * @return string HTML.
 */
function vib3_embed_render_block( $attributes ) {
	$clean = vib3_embed_sanitize_attributes( is_array( $attributes ) ? $attributes : array(), 'name' );
	vib3_embed_enqueue_front();
	$wrapper = get_block_wrapper_attributes( array( 'class' => vib3_embed_wrapper_class( $clean ) ) );
	return sprintf( '<div %1$s>%2$s</div>', $wrapper, vib3_embed_element_html( $clean ) );
}
