<?php
/**
 * The generated table (includes/generated/table.php, written by the build from the kit's
 * parameter table and theme packs): the one source of every attribute the block and the
 * shortcode accept, of their limits, and of the bundled kit's version and integrity value.
 *
 * @package Vib3Embed
 */

defined( 'ABSPATH' ) || exit;

/**
 * The generated table, loaded once.
 *
 * @return array{block: string, kit: array{version: string, integrity: string}, entries: array<int, array<string, mixed>>}
 */
function vib3_embed_config() {
	static $config = null;
	if ( null === $config ) {
		$config = require __DIR__ . '/generated/table.php';
	}
	return $config;
}

/**
 * The table's entries (VIB3 parameters, theme pack and display options), in display order.
 *
 * @return array<int, array<string, mixed>>
 */
function vib3_embed_entries() {
	$config = vib3_embed_config();
	return $config['entries'];
}
