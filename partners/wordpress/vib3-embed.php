<?php
/**
 * Plugin Name:       VIB3 Embed
 * Description:       Live VIB3 4D geometry visuals in posts and pages: a block with live preview and a [vib3] shortcode. The kit is bundled, nothing loads from a CDN.
 * Version:           0.1.0
 * Requires at least: 6.1
 * Requires PHP:      7.4
 * Author:            VIB3
 * License:           MIT
 * License URI:       https://spdx.org/licenses/MIT.html
 * Text Domain:       vib3-embed
 *
 * @package Vib3Embed
 */

defined( 'ABSPATH' ) || exit;

/** The plugin's main file (for plugins_url()). */
define( 'VIB3_EMBED_FILE', __FILE__ );

require_once __DIR__ . '/includes/config.php';
require_once __DIR__ . '/includes/sanitize.php';
require_once __DIR__ . '/includes/render.php';
require_once __DIR__ . '/includes/assets.php';
require_once __DIR__ . '/includes/block.php';
require_once __DIR__ . '/includes/shortcode.php';

// Script and style handles first: block.json names them.
add_action( 'init', 'vib3_embed_register_assets', 5 );
add_action( 'init', 'vib3_embed_register_block' );
add_action( 'init', 'vib3_embed_register_shortcode' );
add_filter( 'script_loader_tag', 'vib3_embed_script_integrity', 10, 2 );
