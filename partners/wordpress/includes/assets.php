<?php
/**
 * Scripts and styles: the bundled kit (kit/vib3.iife.js, never a CDN) with its version and its
 * Subresource Integrity value, the wrapper's stylesheet and the block editor script.
 *
 * @package Vib3Embed
 */

defined( 'ABSPATH' ) || exit;

/** Handle of the bundled kit (the script-tag build). */
define( 'VIB3_EMBED_KIT_HANDLE', 'vib3-embed-kit' );

/**
 * Registers the kit, the stylesheet and the editor script (on `init`, before the block: block.json
 * names the handles). The editor receives the generated table as `window.vib3EmbedEditor`.
 */
function vib3_embed_register_assets() {
	$config  = vib3_embed_config();
	$version = $config['kit']['version'];
	wp_register_script( VIB3_EMBED_KIT_HANDLE, plugins_url( 'kit/vib3.iife.js', VIB3_EMBED_FILE ), array(), $version, true );
	wp_register_style( 'vib3-embed', plugins_url( 'assets/vib3-embed.css', VIB3_EMBED_FILE ), array(), $version );
	wp_register_script(
		'vib3-embed-editor',
		plugins_url( 'src/editor.js', VIB3_EMBED_FILE ),
		array( 'wp-blocks', 'wp-block-editor', 'wp-components', 'wp-element', 'wp-i18n', VIB3_EMBED_KIT_HANDLE ),
		$version,
		false
	);
	$editor_data = array(
		'block'   => $config['block'],
		'entries' => $config['entries'],
	);
	wp_add_inline_script( 'vib3-embed-editor', 'window.vib3EmbedEditor = ' . wp_json_encode( $editor_data, JSON_HEX_TAG | JSON_HEX_AMP ) . ';', 'before' );
	wp_set_script_translations( 'vib3-embed-editor', 'vib3-embed' );
}

/** Enqueues what a visual on the front end needs: the kit (in the footer) and the stylesheet. */
function vib3_embed_enqueue_front() {
	wp_enqueue_script( VIB3_EMBED_KIT_HANDLE );
	wp_enqueue_style( 'vib3-embed' );
}

/**
 * `script_loader_tag` filter: adds `integrity` (sha384 of the bundled file) and
 * `crossorigin="anonymous"` to the kit's script tag, so the browser runs exactly the released bytes.
 *
 * @param string $tag    The script tag.
 * @param string $handle Its handle.
 * @return string
 */
function vib3_embed_script_integrity( $tag, $handle ) {
	if ( VIB3_EMBED_KIT_HANDLE !== $handle ) {
		return $tag;
	}
	$config = vib3_embed_config();
	$extra  = sprintf( ' integrity="%s" crossorigin="anonymous"', esc_attr( $config['kit']['integrity'] ) );
	return preg_replace( '/<script(?=[^>]*\ssrc=)/', '<script' . $extra, $tag, 1 );
}
