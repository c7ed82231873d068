/**
 * VIB3 Embed: the block editor side of the `vib3/canvas` block. Plain JavaScript on WordPress's
 * globals (wp.blocks, wp.blockEditor, wp.components, wp.element, wp.i18n): no build step.
 *
 * - The inspector controls are generated at runtime from the plugin's generated table
 *   (`window.vib3EmbedEditor.entries`, the same table the PHP sanitizer reads, itself generated from
 *   the kit's parameter table): a RangeControl per number, a SelectControl per enumeration, a
 *   TextControl per text or URL. A new parameter in the kit shows up here without an edit.
 * - The preview is live: the bundled kit's `<vib3-canvas>` with the current attributes, limited the
 *   way the server limits them (numbers clamped, integers rounded, unknown values left out).
 * - `save` returns null: the block is rendered on the server (includes/block.php).
 */
( function ( wp, config ) {
	'use strict';

	if ( ! wp || ! wp.blocks || ! config ) {
		return;
	}

	var el = wp.element.createElement;
	var Fragment = wp.element.Fragment;
	var __ = wp.i18n.__;
	var blockEditor = wp.blockEditor;
	var components = wp.components;

	/** Inspector panels, in order; entries name theirs in `group`. */
	var GROUPS = [
		{ id: 'visual', title: __( 'Visual', 'vib3-embed' ), initialOpen: true },
		{ id: 'rotation', title: __( '4D rotation', 'vib3-embed' ), initialOpen: false },
		{ id: 'display', title: __( 'Display', 'vib3-embed' ), initialOpen: false },
	];

	/**
	 * The attribute text the server would emit for a number, or null (mirrors vib3_embed_sanitize_number).
	 *
	 * @param {unknown} value
	 * @param {{kind: string, min: number, max: number}} entry
	 * @return {string|null}
	 */
	function numberText( value, entry ) {
		var number = typeof value === 'string' && value.trim() !== '' ? Number( value ) : value;
		if ( typeof number !== 'number' || ! isFinite( number ) ) {
			return null;
		}
		if ( entry.kind === 'int' ) {
			number = Math.round( number );
		}
		number = Math.min( entry.max, Math.max( entry.min, number ) );
		return entry.kind === 'int' ? String( number ) : String( Number( number.toFixed( 6 ) ) );
	}

	/**
	 * Text without markup (script and style content included) or runs of white space, as
	 * sanitize_text_field() leaves it.
	 *
	 * @param {string} value
	 * @return {string}
	 */
	function plainText( value ) {
		return value
			.replace( /<(script|style)[^>]*?>[\s\S]*?<\/\1>/gi, '' )
			.replace( /<[^>]*>/g, '' )
			.replace( /\s+/g, ' ' )
			.trim();
	}

	/**
	 * The sanitized text of one attribute value, or null when the server would drop it.
	 *
	 * @param {unknown} value
	 * @param {Object} entry A table entry.
	 * @return {string|null}
	 */
	function attributeText( value, entry ) {
		if ( value === undefined || value === null ) {
			return null;
		}
		switch ( entry.kind ) {
			case 'float':
			case 'int':
				return numberText( value, entry );
			case 'enum':
				return typeof value === 'string' && entry.values.indexOf( value.trim().toLowerCase() ) >= 0 ? value.trim().toLowerCase() : null;
			case 'text':
				return typeof value === 'string' ? plainText( value ).slice( 0, entry.maxLength ) : null;
			case 'url':
				return typeof value === 'string' && /^(https?:\/\/|\/(?!\/))/i.test( value.trim() ) ? value.trim() : null;
		}
		return null;
	}

	/**
	 * The preview element's attributes and the wrapper's class for the block's attributes.
	 *
	 * @param {Object} attributes Block attributes.
	 * @return {{element: Object<string, string>, className: string}}
	 */
	function previewOf( attributes ) {
		var element = {};
		var aspect = '16:9';
		config.entries.forEach( function ( entry ) {
			var text = attributeText( attributes[ entry.name ], entry );
			if ( entry.target === 'wrapper' ) {
				aspect = text === null ? entry.default : text;
			} else if ( text !== null ) {
				element[ entry.attribute ] = text;
			}
		} );
		return { element: element, className: 'vib3-embed vib3-embed--' + aspect.replace( ':', '-' ) };
	}

	/**
	 * One inspector control for one table entry.
	 *
	 * @param {Object}   entry         A table entry.
	 * @param {Object}   attributes    Block attributes.
	 * @param {Function} setAttributes The block's setter.
	 * @return {Object} A React element.
	 */
	function controlFor( entry, attributes, setAttributes ) {
		var value = attributes[ entry.name ];
		var set = function ( next ) {
			var patch = {};
			patch[ entry.name ] = next;
			setAttributes( patch );
		};
		var common = { key: entry.name, label: entry.label, help: entry.help };
		if ( entry.kind === 'float' || entry.kind === 'int' ) {
			return el( components.RangeControl, Object.assign( common, {
				value: typeof value === 'number' ? value : undefined,
				min: entry.min,
				max: entry.max,
				step: entry.step,
				initialPosition: entry.default,
				allowReset: true,
				withInputField: true,
				onChange: function ( next ) {
					var number = next === undefined || next === null || next === '' ? NaN : Number( next );
					set( isFinite( number ) ? number : undefined );
				},
			} ) );
		}
		if ( entry.kind === 'enum' ) {
			var fallback = entry.default ? ' (' + entry.default + ')' : '';
			var options = [ { value: '', label: __( 'Default', 'vib3-embed' ) + fallback } ].concat(
				entry.values.map( function ( v, i ) {
					return { value: v, label: entry.labels[ i ] };
				} )
			);
			return el( components.SelectControl, Object.assign( common, {
				value: typeof value === 'string' ? value : '',
				options: options,
				onChange: function ( next ) {
					set( next ? next : undefined );
				},
			} ) );
		}
		return el( components.TextControl, Object.assign( common, {
			type: entry.kind === 'url' ? 'url' : 'text',
			value: typeof value === 'string' ? value : '',
			onChange: function ( next ) {
				set( next ? next : undefined );
			},
		} ) );
	}

	/**
	 * The block's edit component: generated inspector controls and the live preview.
	 *
	 * @param {{attributes: Object, setAttributes: Function}} props
	 * @return {Object} A React element.
	 */
	function Edit( props ) {
		var preview = previewOf( props.attributes );
		var blockProps = blockEditor.useBlockProps( { className: preview.className } );
		var panels = GROUPS.map( function ( group ) {
			var controls = config.entries
				.filter( function ( entry ) {
					return entry.group === group.id;
				} )
				.map( function ( entry ) {
					return controlFor( entry, props.attributes, props.setAttributes );
				} );
			return el( components.PanelBody, { key: group.id, title: group.title, initialOpen: group.initialOpen }, controls );
		} );
		return el(
			Fragment,
			null,
			el( blockEditor.InspectorControls, null, panels ),
			el( 'div', blockProps, el( 'vib3-canvas', preview.element, el( 'p', { slot: 'fallback' }, __( 'This browser cannot show the live visual.', 'vib3-embed' ) ) ) )
		);
	}

	wp.blocks.registerBlockType( config.block, {
		edit: Edit,
		save: function () {
			return null;
		},
	} );
} )( window.wp, window.vib3EmbedEditor );
